"""The named steps of the actor stage, one at a time, on hand-built Docs (no model)."""

from __future__ import annotations

import time

import pytest
from spacy.tokens import Span

from components.extract import budget
from components.extract.actors import (
    ActorExtractor,
    _Article,
    _cut_short_phrase,
    _locative_clue,
    _name_after_title,
    _tidy_roles,
)
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from tests.conftest import make_doc

K = load_knowledge()


def doc_of(vocab, text: str, ents: list[tuple[int, int, str]] = ()):
    """A Doc of `text` split on spaces; capitalised words are PROPN, the rest NOUN."""
    tokens = [(w, "PROPN" if w[:1].isupper() else "NOUN", "NN", "dep", 0, w.lower()) for w in text.split(" ")]
    return make_doc(vocab, tokens, ents, text_spaces=[True] * len(tokens))


def test_locative_clues(blank_vocab):
    doc = doc_of(blank_vocab, "fighting near Manbij and in Raqqa , the town of Tel Tamer")
    assert _locative_clue(doc, 1) == "near"
    assert _locative_clue(doc, 4) == "in"
    assert _locative_clue(doc, 9) == "near"  # "town of"
    assert _locative_clue(doc, 0) is None


def test_name_after_title_skips_further_titles_and_keeps_a_nickname(blank_vocab):
    doc = doc_of(blank_vocab, "Lt. Gen. Stephen Townsend said")
    assert _name_after_title(doc, 0) == (2, 4)
    doc = doc_of(blank_vocab, "Col. John ' J.D. ' Dorrian said")
    assert _name_after_title(doc, 0) == (1, 6)


def test_a_body_cut_short_by_the_model_is_left_to_the_state_rules(blank_vocab):
    doc = doc_of(blank_vocab, "the Government of Iraq said", [(1, 3, "ORG")])
    assert _cut_short_phrase(doc, doc.ents[0]) is None
    doc = doc_of(blank_vocab, "the Ministry of Culture said", [(1, 4, "ORG")])
    assert _cut_short_phrase(doc, doc.ents[0]).end == 4


def test_roles_are_tidied():
    assert _tidy_roles(["defence minister of", "Mr.", "the spokesman"]) == ["Defence minister", "spokesman"]


def test_full_names_with_the_same_first_and_last_word_are_one_person(blank_vocab):
    art = _Article(doc_of(blank_vocab, "x"), K)
    first = art.new_person("Joseph Votel", None)
    second = art.new_person("Joseph L. Votel", None)
    assert second.full == first.full == "Joseph Votel"
    assert "Joseph L. Votel" in first.aliases
    assert art.by_surname["votel"] == ["Joseph Votel"]


def test_a_surname_joins_the_full_name_named_before(blank_vocab):
    doc = doc_of(blank_vocab, "Gen. Joseph Votel arrived . Votel said", [(1, 3, "PERSON"), (5, 6, "PERSON")])
    result = ActorExtractor(K).extract(doc, Layout())
    votel = result.by_name("Joseph Votel")
    assert votel is not None and votel.mentions == 2 and "Votel" in votel.aliases


def test_a_spent_budget_stops_the_stage(blank_vocab):
    doc = doc_of(blank_vocab, "Gen. Joseph Votel arrived", [(1, 3, "PERSON")])
    token = budget._CURRENT.set(budget._Budget(deadline=time.monotonic() - 1, seconds=1.0))
    try:
        with pytest.raises(budget.ExtractionTimeout):
            ActorExtractor(K).extract(doc, Layout())
    finally:
        budget._CURRENT.reset(token)


def known(doc, start: int, end: int, label: str, ent_id: str):
    """`doc` with one entity that the knowledge ruler tagged with `ent_id`."""
    doc.ents = [Span(doc, start, end, label=label, span_id=ent_id)]
    return doc


def test_a_capital_acts_as_its_state_but_is_a_place_after_a_locative(blank_vocab):
    acting = ActorExtractor(K).extract(known(doc_of(blank_vocab, "the Kremlin said"), 1, 2, "ORG", "Russia"), Layout())
    assert acting.by_name("Russia") is not None and not acting.places
    located = ActorExtractor(K).extract(known(doc_of(blank_vocab, "talks at the Kremlin"), 3, 4, "FAC", "Russia"), Layout())
    assert [p.name for p in located.places] == ["Moscow"] and located.by_name("Russia") is None


def test_mentions_starting_in_a_span_keep_their_list_order():
    from components.extract.actors import ActorResult, Mention

    def mention(start, what="actor", name=None):
        return Mention(start, start + 3, "abc", name or f"n{start}", what, 0, 1)

    mentions = [mention(40), mention(5), mention(12, "place"), mention(30), mention(5, name="again"), mention(60)]
    result = ActorResult([], [], mentions)
    assert [m.name for m in result.starting_in(5, 41)] == ["n40", "n5", "n12", "n30", "again"]
    assert [m.name for m in result.starting_in(5, 40, "actor")] == ["n5", "n30", "again"]
    assert result.starting_in(61, 100) == []
    assert [m.name for m in result.mentions_in(10, 43)] == ["n40", "n12", "n30"]
    result.mentions.append(mention(70))  # a list that grows is re-indexed
    assert [m.name for m in result.starting_in(65, 80)] == ["n70"]
