"""Reading a count from the tokens of a parsed sentence.

Shared by the casualty and figure stages: a number token and its neighbours ("1,000",
"twenty - three", "at least 12", "10 to 15", "half a dozen"), and the count a noun phrase
implies ("nine people", "a man", "his son", "both pilots", "a family of five").
"""

from __future__ import annotations

import re

from spacy.attrs import LIKE_NUM, LOWER
from spacy.tokens import Doc, Token

from .lexicon import load_lexicon
from .numbers import QUALIFIERS, Count, is_number_word, parse_count, parse_number_words

QUALIFIER_TEXT = sorted(QUALIFIERS, key=len, reverse=True)
LEX = load_lexicon("counting")
VAGUE_WORDS = LEX.words("VAGUE_WORDS")
COLLECTIVE: dict[str, int] = LEX.mapping("COLLECTIVE")
POSSESSIVES = LEX.words("POSSESSIVES")


def qualifier_before(doc: Doc, start: int) -> str | None:
    left = doc[max(0, start - 3) : start].text.lower()
    for q in QUALIFIER_TEXT:
        if left.endswith(q):
            return QUALIFIERS[q]
    return None


def is_age_or_unit(doc: Doc, last: int) -> bool:
    """'27-year-old', '34 - year - old', '5 a.m.', '30 km'."""
    after = doc[last + 1 : last + 4].text.lower().replace(" ", "")
    return bool(re.match(r"^-?(year|month|week|day)s?-?old", after) or re.match(r"^-?(year|month)-", after))


def could_be_number(lower: str, like_num: bool) -> bool:
    """The first test of `number_span`, on a token's lower-case text and LIKE_NUM flag."""
    return like_num or is_number_word(lower) or lower in VAGUE_WORDS


def number_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens `number_span` may read, from the Doc's arrays.

    Reading every token through a Token object costs more than the test itself; a Doc's
    distinct words are few, so each is tested once.
    """
    values = doc.to_array([LIKE_NUM, LOWER])
    strings = doc.vocab.strings
    numberish = {key for key in set(values[:, 1].tolist()) if could_be_number(strings[key], False)}
    return [i for i, (like_num, lower) in enumerate(values.tolist()) if like_num or lower in numberish]


def number_span(tok: Token) -> tuple[list[Token], Count] | None:
    """The count expressed by a number token and its compound neighbours."""
    doc = tok.doc
    if not could_be_number(tok.lower_, tok.like_num):
        return None
    if tok.i > 0 and doc[tok.i - 1].lower_ in {"no", "not", "none"}:
        return None  # "no one was hurt"
    i, j = tok.i, tok.i + 1
    while i > 0 and (doc[i - 1].like_num or is_number_word(doc[i - 1].text) or doc[i - 1].text == "-"):
        i -= 1
    if i > 0 and doc[i - 1].lower_ in {"a", "one"} and doc[i].lower_ in {"dozen", "hundred", "thousand", "million"}:
        i -= 1
    while j < len(doc) and (is_number_word(doc[j].text) or (doc[j].text == "-" and j + 1 < len(doc) and is_number_word(doc[j + 1].text))):
        j += 1
    tokens = list(doc[i:j])
    if tokens and tokens[0].text == "-":
        tokens = tokens[1:]
    if not tokens:
        return None
    if is_age_or_unit(doc, tokens[-1].i):
        return None
    text = " ".join(t.text for t in tokens).replace(" - ", "-")
    # "half a dozen"
    if text.lower() in {"a dozen", "dozen"} and i >= 1 and doc[i - 1].lower_ == "half":
        return [doc[i - 1], *tokens], Count(6, 6, 6, None)
    # Ranges: "10 to 15", "between 10 and 15".
    if j + 1 < len(doc) and doc[j].lower_ in {"to", "or", "and"} and (doc[j + 1].like_num or is_number_word(doc[j + 1].text)):
        if doc[j].lower_ != "and" or (i >= 1 and doc[i - 1].lower_ == "between"):
            upper, lower = parse_number_words(doc[j + 1].text), parse_number_words(text)
            if upper is not None and lower is not None and lower < upper:
                return tokens + [doc[j], doc[j + 1]], Count(lower, lower, upper, "range")
    if i >= 3 and doc[i - 1].lower_ == "and" and doc[i - 3].lower_ == "between":
        return None  # the upper end of a range is read with its lower end
    count = parse_count(text)
    if count is None:
        return None
    if re.fullmatch(r"(19|20)\d\d", text):
        return None  # a year
    qualifier = qualifier_before(doc, tokens[0].i)
    if qualifier and not count.qualifier:
        count = Count(count.value, 0 if qualifier == "up to" else count.low, count.high, qualifier)
    return tokens, count


def of_object(tok: Token) -> Token | None:
    """'dozens of civilians', 'a family of five', 'the deaths of 12 people' -> the noun after 'of'."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def count_of_noun(noun: Token) -> tuple[list[Token], Count] | None:
    """The number of people a noun phrase names, if it says so."""
    if any(c.lower_ in {"no", "none"} for c in noun.children) or (noun.i > 0 and noun.doc[noun.i - 1].lower_ == "no"):
        return None  # "no one", "no civilians"
    for child in noun.children:
        if child.dep_ in {"nummod", "quantmod"} or (child.dep_ in {"amod", "compound", "det"} and (child.like_num or is_number_word(child.text))):
            found = number_span(child)
            if found:
                return found
        if child.dep_ == "compound":  # "three Hezbollah fighters" parsed with the number on the name
            for grandchild in child.children:
                if grandchild.dep_ == "nummod":
                    found = number_span(grandchild)
                    if found:
                        return found
    found = number_span(noun)  # "killed nine", "two of his men"
    if found:
        return found
    low = noun.lower_
    if low in COLLECTIVE or noun.lemma_.lower() in COLLECTIVE:
        return [noun], Count(COLLECTIVE.get(low, COLLECTIVE.get(noun.lemma_.lower(), 2)), 2, 2, None)
    if low == "family" and (obj := of_object(noun)) is not None and (found := number_span(obj)):
        return [noun, *found[0]], found[1]
    if low in {"another", "one"}:
        return [noun], Count(1, 1, 1, None)
    if low in {"he", "she", "him"}:
        return [noun], Count(1, 1, 1, None)
    dets = [c for c in noun.children if c.dep_ in {"det", "poss", "predet"}]
    if any(d.lower_ == "both" for d in dets):
        return [d for d in dets if d.lower_ == "both"] + [noun], Count(2, 2, 2, None)
    singular = noun.tag_ in {"NN", "NNP"} or (noun.tag_ == "JJ" and noun.dep_ in {"dobj", "nsubjpass", "nsubj"})  # "a 17-year-old Palestinian"
    if singular and dets and any(d.lower_ in {"a", "an", "one", "another"} | POSSESSIVES for d in dets):
        return [dets[0], noun], Count(1, 1, 1, None)
    return None
