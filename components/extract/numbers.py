"""Counts as reporters write them: digits, number words, vague amounts and qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import load_lexicon

LEX = load_lexicon("numbers")
UNITS: dict[str, int] = LEX.mapping("UNITS")
TENS: dict[str, int] = LEX.mapping("TENS")
SCALES: dict[str, int] = LEX.mapping("SCALES")
# Vague amounts: (low, high) as an analyst would read them.
VAGUE: dict[str, tuple[int, int]] = {k: (v[0], v[1]) for k, v in LEX.mapping("VAGUE").items()}
QUALIFIERS: dict[str, str] = LEX.mapping("QUALIFIERS")
SINGLE_PERSON = LEX.words("SINGLE_PERSON")
MAX_PLAUSIBLE = 10_000_000

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Count:
    value: int
    low: int
    high: int
    qualifier: str | None = None


def parse_number_words(text: str) -> int | None:
    """'twenty-three' -> 23, '1,000' -> 1000, '1.2 million' -> 1200000, 'a dozen' -> 12."""
    t = text.strip().lower().replace("\u2011", "-").replace("\u2013", "-")
    if not t:
        return None
    t = re.sub(r"^(?:a|an|one)\s+(dozen|hundred|thousand|million)$", r"one \1", t)
    if _DIGITS.match(t):
        value = float(re.sub(r"[,\u202f\u00a0]", "", t))
        return int(value) if value == int(value) else None
    m = re.match(r"^(\d+(?:\.\d+)?)\s*(hundred|thousand|million|billion|dozen)$", t)
    if m:
        return int(round(float(m.group(1)) * (12 if m.group(2) == "dozen" else SCALES[m.group(2)])))
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    if not words:
        return None
    total, current = 0, 0
    seen = False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = max(current, 1) * 12
        elif w in SCALES:
            scale = SCALES[w]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def is_number_word(word: str) -> bool:
    w = word.lower()
    return w in UNITS or w in TENS or w in SCALES or w == "dozen" or bool(_DIGITS.match(w)) or (
        "-" in w and all(p in UNITS or p in TENS for p in w.split("-"))
    )


def parse_count(phrase: str) -> Count | None:
    """Parse a count phrase with its qualifier: 'at least 12', 'between 10 and 15', 'dozens'."""
    t = re.sub(r"\s+", " ", phrase.strip().lower())
    qualifier = None
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if t.startswith(q + " "):
            qualifier = QUALIFIERS[q]
            t = t[len(q) + 1 :]
            break
    m = re.match(r"^(?:between )?(.+?) (?:and|to|or|-) (.+)$", t) or re.match(r"^(\S+?)-(\S+)$", t)
    if m:
        a, b = parse_number_words(m.group(1)), parse_number_words(m.group(2))
        if a is not None and b is not None and a < b:
            return Count(a, a, b, qualifier or "range")
    if t in VAGUE:
        low, high = VAGUE[t]
        return Count(low, low, high, "approximate")
    value = parse_number_words(t)
    if value is None:
        return None
    if value > MAX_PLAUSIBLE:
        return None
    if qualifier == "up to":
        return Count(value, 0, value, qualifier)
    if qualifier in ("at least", "more than"):
        return Count(value, value, value, qualifier)
    return Count(value, value, value, qualifier)
