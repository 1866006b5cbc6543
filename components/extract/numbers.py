"""Counts as reporters write them: digits, number words, vague amounts and qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague amounts: (low, high) as an analyst would read them.
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "several": (3, 9),
    "a few": (2, 5),
    "few": (2, 5),
    "a handful": (3, 6),
    "tens": (20, 99),
    "a couple": (2, 2),
    "a couple of": (2, 2),
}
QUALIFIERS = {
    "at least": "at least",
    "no fewer than": "at least",
    "not less than": "at least",
    "a minimum of": "at least",
    "more than": "more than",
    "over": "more than",
    "upwards of": "more than",
    "in excess of": "more than",
    "up to": "up to",
    "as many as": "up to",
    "at most": "up to",
    "no more than": "up to",
    "about": "approximate",
    "around": "approximate",
    "some": "approximate",
    "roughly": "approximate",
    "approximately": "approximate",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "an estimated": "approximate",
    "estimated": "approximate",
}
SINGLE_PERSON = {"a", "an", "one"}
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
