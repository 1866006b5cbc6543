"""The sentence around a place in a stored article, for items stored without their sentence
(an actor's mentions keep only where the name is).

Sentences end at a line break, or at '.', '!' or '?' (and any closing quotes or brackets)
followed by a space and what can start a sentence; a full stop after a title or a common
abbreviation ("Gen.", "Mr.", "U.S.", "approx.") or after a single initial does not end one.
"""

from __future__ import annotations

import re

# Words whose full stop is not a sentence's end (lower case, without their last dot).
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "adm", "cmdr", "brig", "pte",
    "gov", "sen", "rep", "pres", "amb", "rev", "hon", "st", "mt", "ft", "no", "nos", "vol", "vs", "approx", "est", "inc",
    "corp", "co", "ltd", "jr", "sr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n", "u.k", "e.u", "e.g", "i.e", "etc", "cf", "al",
})
MAX_SIDE = 400  # characters either side of the span at most: a text without punctuation has no sentences to find
_END = re.compile(r"[.!?][\"'”’»)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_STARTS = re.compile(r"\s+[\"'“‘«(\[]*[A-Z0-9À-ÖØ-Þ]")


def _is_end(text: str, match: re.Match[str]) -> bool:
    """Whether the punctuation `match` found ends a sentence (see the module's rules)."""
    if not _STARTS.match(text, match.end()) and text.find("\n", match.end(), match.end() + 3) < 0:
        return False  # "approx. five": what follows does not start a sentence
    if text[match.start()] != ".":
        return True
    word = _WORD_BEFORE.search(text, 0, match.start())
    if word is None:
        return True
    token = word.group(1).lower().rstrip(".")
    return not (token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(first, last) character offsets of the sentence holding text[start:end], spaces trimmed;
    a span across sentences gets all of them."""
    start, end = max(0, min(start, len(text))), max(0, min(max(start, end), len(text)))
    line_start, newline = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if newline < 0 else newline
    low, high = max(line_start, start - MAX_SIDE), min(line_end, end + MAX_SIDE)
    if low > line_start:  # cut short: at a word's edge
        low = min(start, text.find(" ", low) + 1 or start)
    if high < line_end:
        high = max(end, text.rfind(" ", end, high))
    first = low
    for match in _END.finditer(text, low, start):
        if _is_end(text, match):
            first = match.end()
    last = high
    for match in _END.finditer(text, max(end - 1, low), high):
        if match.end() >= end and _is_end(text, match):
            last = match.end()
            break
    while first < start and text[first].isspace():
        first += 1
    while last > end and text[last - 1].isspace():
        last -= 1
    return first, last


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] (see `sentence_bounds`)."""
    first, last = sentence_bounds(text, start, end)
    return text[first:last]
