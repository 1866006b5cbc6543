"""Counted figures other than casualties: prisoners, displaced, evacuated, troops, weapons."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..models import Figure
from .counting import number_span
from .layout import Layout
from .numbers import is_number_word, parse_number_words

FIGURE_NOUNS = {
    "prisoner": "prisoners", "pow": "prisoners", "pows": "prisoners", "captive": "prisoners",
    "detainee": "prisoners", "hostage": "prisoners", "prisoners": "prisoners",
    "refugee": "refugees", "evacuee": "evacuated", "troop": "troops", "troops": "troops",
    "drone": "drones", "missile": "missiles", "rocket": "missiles", "shell": "missiles",
}
PEOPLE = {"people", "person", "civilian", "resident", "villager", "family", "child", "woman", "man", "inhabitant"}


def extract_figures(doc: Doc, layout: Layout) -> list[Figure]:
    """Prisoners (with "each side"), displaced, refugees, evacuated, troops, drones, missiles."""
    figures: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    for sent in doc.sents:
        if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
            continue
        text = sent.text
        # "a 1,000 for 1,000 swap", "1,000-for-1,000 exchange"
        for m in re.finditer(r"(\d[\d,]*)[\s-]+for[\s-]+(\d[\d,]*)\s+(?:prisoner\s+)?(?:swap|exchange)", text, re.IGNORECASE):
            a, b = parse_number_words(m.group(1)), parse_number_words(m.group(2))
            if a and a == b and ("prisoners", a) not in seen:
                seen.add(("prisoners", a))
                figures.append(Figure("prisoners", a, text.strip(), sent.start_char + m.start(), sent.start_char + m.end(), a, a, None, True))
        for tok in sent:
            found = number_span(tok) if (tok.like_num or is_number_word(tok.text)) else None
            if not found:
                continue
            tokens, count = found
            if tokens[0].i != tok.i:
                continue
            nxt_i = tokens[-1].i + 1
            noun = None
            for j in range(nxt_i, min(nxt_i + 3, sent.end)):
                if doc[j].pos_ in {"NOUN", "PROPN"} or doc[j].lower_ in FIGURE_NOUNS:
                    noun = doc[j]
                    break
                if doc[j].pos_ not in {"ADJ"}:
                    break
            kind = None
            if noun is not None:
                kind = FIGURE_NOUNS.get(noun.lower_) or FIGURE_NOUNS.get(noun.lemma_.lower())
                if kind is None and noun.lemma_.lower() in PEOPLE:
                    after = doc[noun.i + 1 : min(noun.i + 5, sent.end)].text.lower()
                    if re.search(r"\b(displaced|fled|forced from|homeless)\b", after):
                        kind = "displaced"
                    elif re.search(r"\bevacuated\b", after):
                        kind = "evacuated"
            if kind is None:
                continue
            if kind == "troops" and re.search(r"\b(kill|dead|die|wound|injur)", sent.text, re.IGNORECASE):
                continue
            key = (kind, count.value)
            if key in seen:
                continue
            seen.add(key)
            tail = doc[tokens[-1].i + 1 : min(tokens[-1].i + 8, sent.end)].text.lower()
            each = bool(re.search(r"\beach(?: side)?\b|\bfrom each\b|\bper side\b", tail))
            start = tokens[0].idx
            end = (noun.idx + len(noun.text)) if noun is not None else tokens[-1].idx + len(tokens[-1].text)
            if each:
                m = re.search(r"\beach(?: side)?\b", doc.text[end : end + 40])
                if m:
                    end = end + m.end()
            figures.append(Figure(kind, count.value, text.strip(), start, end, count.low, count.high, count.qualifier, each))
    return figures
