"""Counted figures other than casualties: prisoners, displaced, evacuated, troops, weapons.

Each number is read with the noun it counts and the verb that governs that noun:
"released 390 prisoners" (prisoners, released), "38 of the drones were shot down"
(drones, shot down), "evacuated 1,340 civilians" (evacuated), "56,000 people have fled"
(displaced). People counted by a verb that is not about displacement are left to the
casualty stage or ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from ..models import Figure
from .counting import number_candidates, number_span, of_object
from .layout import Layout
from .lexicon import load_lexicon
from .numbers import parse_number_words
from .syntax import governing_verb

LEX = load_lexicon("figures")
PRISONER_NOUNS = LEX.words("PRISONER_NOUNS")
WEAPON_NOUNS: dict[str, str] = LEX.mapping("WEAPON_NOUNS")
TROOP_NOUNS = LEX.words("TROOP_NOUNS")
PEOPLE_NOUNS = LEX.words("PEOPLE_NOUNS")
ACTIONS: dict[str, str] = LEX.mapping("ACTIONS")
DISPLACED_MODIFIERS = LEX.words("DISPLACED_MODIFIERS")


def _action(noun: Token) -> str | None:
    verb = governing_verb(noun, max_steps=4)
    candidates = [noun.head] if noun.head.pos_ in {"VERB", "ADJ"} else []
    if verb is not None:
        candidates.append(verb)
    for v in candidates:
        lemma = v.lemma_.lower()
        if lemma == "shoot" and any(c.lower_ == "down" for c in v.children):
            return "shot down"
        if lemma in ACTIONS:
            return ACTIONS[lemma]
    # "displaced people", "evacuated civilians"
    for c in noun.children:
        if c.dep_ == "amod" and c.lemma_.lower() in DISPLACED_MODIFIERS:
            return "displaced" if c.lemma_.lower().startswith("displace") else "evacuated"
    return None


def _kind(noun: Token, action: str | None, sent: Span) -> str | None:
    lemma, low = noun.lemma_.lower(), noun.lower_
    if lemma in PRISONER_NOUNS or low in PRISONER_NOUNS:
        if lemma in {"serviceman", "servicemen"} and action not in {"released", "exchanged"}:
            return "troops" if action in {"deployed", "withdrawn"} else None
        return "prisoners" if action in {"released", "exchanged", None} else None
    if lemma in WEAPON_NOUNS or low in WEAPON_NOUNS:
        return WEAPON_NOUNS.get(lemma) or WEAPON_NOUNS.get(low)
    if lemma in TROOP_NOUNS and action in {"deployed", "withdrawn"}:
        return "troops"
    if lemma in PEOPLE_NOUNS or low in PEOPLE_NOUNS:
        if lemma == "refugee" or low == "refugees":
            return "refugees"
        if action == "displaced":
            return "displaced"
        if action == "evacuated" or lemma == "evacuee":
            return "evacuated"
    return None


def extract_figures(doc: Doc, layout: Layout) -> list[Figure]:
    """Prisoners (with 'each side'), displaced, refugees, evacuated, troops, drones, missiles."""
    figures: list[Figure] = []
    seen: set[tuple[str, int, str | None]] = set()
    candidates = number_candidates(doc)
    for sent in doc.sents:
        if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
            continue
        text = sent.text
        # "a 1,000 for 1,000 swap", "1,000-for-1,000 exchange"
        for m in re.finditer(r"(\d[\d,]*)[\s-]+for[\s-]+(\d[\d,]*)\s+(?:prisoner\s+)?(?:swap|exchange)", text, re.IGNORECASE):
            a, b = parse_number_words(m.group(1)), parse_number_words(m.group(2))
            if a and a == b and not any(k == "prisoners" and c == a for k, c, _ in seen):
                seen.add(("prisoners", a, "exchanged"))
                figures.append(Figure("prisoners", a, text.strip(), sent.start_char + m.start(), sent.start_char + m.end(), a, a, None, True, "exchanged"))
        for i in candidates[bisect_left(candidates, sent.start):bisect_left(candidates, sent.end)]:
            tok = doc[i]
            found = number_span(tok)
            if not found or found[0][0].i != tok.i:
                continue
            tokens, count = found
            last = tokens[-1]
            noun = last.head if last.dep_ in {"nummod", "quantmod"} and last.head.pos_ in {"NOUN", "PROPN"} else None
            if noun is None and (obj := of_object(last)) is not None:
                noun = obj  # "38 of the drones"
            if noun is None:
                after = doc[last.i + 1] if last.i + 1 < sent.end else None
                noun = after if after is not None and after.pos_ == "NOUN" else None
            if noun is None:
                continue
            action = _action(noun) or (_action(last) if last.dep_ in {"dobj", "nsubjpass", "nsubj"} else None)
            kind = _kind(noun, action, sent)
            if kind is None:
                continue
            key = (kind, count.value, action)
            if key in seen or any(k == kind and c == count.value for k, c, _ in seen):
                continue
            seen.add(key)
            window = doc[max(sent.start, tokens[0].i - 4) : min(noun.i + 8, sent.end)].text.lower()
            each = bool(re.search(r"\beach(?: side)?\b|\bfrom each\b|\bper side\b|\bboth sides\b", window))
            start = tokens[0].idx
            end = max(noun.idx + len(noun.text), last.idx + len(last.text))
            if each and (m := re.search(r"\beach(?: side)?\b", doc.text[end : end + 40])):
                end += m.end()
            figures.append(Figure(kind, count.value, text.strip(), start, end, count.low, count.high, count.qualifier, each, action))
    return figures
