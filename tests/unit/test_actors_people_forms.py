"""People written in the forms real statements use (issue 14): a nisba split by the
tokenizer, a quoted nickname inside a titled name, a description before the name, an
office named without its holder. Hand-built Docs, sentences written by the team."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from components.extract.actors import ActorExtractor
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from tests.unit.test_actors_handbuilt import build

K = load_knowledge()


def actors_of(doc):
    return {a.name: a for a in ActorExtractor(K).extract(doc, Layout()).actors}


def test_a_nisba_the_model_cut_at_its_hyphen_belongs_to_the_name(blank_vocab):
    words = ["Abu", "Omar", "al", "-", "Tunisi", ",", "a", "commander", ",", "was", "killed", "."]
    spaces = [True, True, False, False, False, True, True, False, True, True, False, False]
    doc = Doc(blank_vocab, words=words, spaces=spaces, sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [Span(doc, 0, 4, label="PERSON"), Span(doc, 4, 5, label="NORP", span_id="Tunisia")]
    assert set(actors_of(doc)) == {"Abu Omar al-Tunisi"}


def test_a_quoted_nickname_inside_a_titled_name_is_one_person(blank_vocab):
    doc = build(blank_vocab, 'Brig. Gen. Mary " Red " Hollis , the lead officer , will speak .', [("Mary", "PERSON")])
    assert set(actors_of(doc)) == {"Mary Hollis"}


def test_a_description_before_a_titled_name_is_an_alias(blank_vocab):
    doc = build(blank_vocab, "The task force commanding general , Lt. Gen. Paul Ardent , said so .", [("Paul Ardent", "PERSON")])
    assert "task force commanding general" in actors_of(doc)["Paul Ardent"].aliases


def test_an_office_without_a_named_holder_is_a_person_known_by_it(blank_vocab):
    doc = build(blank_vocab, "The Secretary of State has authorized a reward , and the UN High Commissioner for Refugees agreed .", [])
    actors = actors_of(doc)
    assert set(actors) == {"Secretary of State", "High Commissioner for Refugees"}
    assert actors["Secretary of State"].kind == "person"
    assert "UN High Commissioner for Refugees" in actors["High Commissioner for Refugees"].aliases


def test_an_office_whose_holder_is_named_stays_the_holders(blank_vocab):
    doc = build(blank_vocab, "Secretary of State Lena Marsh arrived . The Secretary of State said the talks would go on .", [("Lena Marsh", "PERSON")])
    actors = actors_of(doc)
    assert set(actors) == {"Lena Marsh"}


def test_a_unit_the_model_read_as_a_person_is_a_body(blank_vocab):
    doc = build(blank_vocab, "A crew chief in Baker Battery said so .", [("Baker Battery", "PERSON")])
    actors = actors_of(doc)
    assert actors["Baker Battery"].kind == "organization"


def test_a_minister_named_after_the_portfolio_is_a_person_not_a_body(blank_vocab):
    doc = build(blank_vocab, "The Minister for Defence Dana Kerrow will travel . Minister for the Pacific Region Ola Vint agreed .",
                [("the Pacific Region", "LOC")])
    actors = actors_of(doc)
    assert {"Dana Kerrow", "Ola Vint"} <= set(actors)
    assert actors["Dana Kerrow"].role == "Minister for Defence"
    assert not any(a.kind == "organization" for a in actors.values())


def test_an_office_apposed_to_its_named_holder_is_no_second_person(blank_vocab):
    doc = build(blank_vocab, "He met the UN Special Envoy for Syria , Lars Odegaard , in Geneva .", [("Lars Odegaard", "PERSON"), ("Geneva", "GPE")])
    assert set(actors_of(doc)) == {"Lars Odegaard"}


def test_a_portfolio_before_a_title_is_no_body(blank_vocab):
    doc = build(blank_vocab, "International Development Secretary Ana Reyes said the aid would go on .",
                [("International Development", "ORG"), ("Ana Reyes", "PERSON")])
    actors = actors_of(doc)
    assert set(actors) == {"Ana Reyes"}
    assert actors["Ana Reyes"].role == "International Development Secretary"


def test_a_first_name_that_is_also_a_region_is_a_person(blank_vocab):
    doc = build(blank_vocab, "She spoke with her Afghan counterpart , Salahuddin Karimi . Fighting went on in Salahuddin .",
                [("Afghan", "NORP", "Afghanistan"), ("Salahuddin", "GPE", "Salahuddin"), ("Salahuddin", "GPE", "Salahuddin")],
                pos={"Karimi": "PROPN"})
    result = ActorExtractor(K).extract(doc, Layout())
    assert "Salahuddin Karimi" in {a.name for a in result.actors}
    assert [p.name for p in result.places] == ["Salahuddin"]
