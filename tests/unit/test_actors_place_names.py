"""Places under the names the article writes, with their longer forms as aliases (issue 14).

Hand-built Docs (spacy.blank vocab), sentences written by the team."""

from __future__ import annotations

from components.extract.actors import ActorExtractor
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from tests.unit.test_actors_handbuilt import build

K = load_knowledge()


def run(doc):
    return ActorExtractor(K).extract(doc, Layout())


def places_of(result):
    return {p.name: p for p in result.places}


def test_the_written_name_is_shown_and_the_gazetteers_kept(blank_vocab):
    doc = build(blank_vocab, "Fighters left Palmyra and moved toward Raqqa . Near Raqqa , two strikes hit .",
                [("Palmyra", "GPE"), ("Raqqa", "GPE"), ("Raqqa", "GPE")])
    places = places_of(run(doc))
    assert set(places) == {"Palmyra", "Raqqa"}
    assert "Tadmur" in places["Palmyra"].aliases and places["Palmyra"].lat is not None
    assert places["Raqqa"].mentions == 2 and places["Raqqa"].country == "Syria"


def test_the_most_written_form_wins_and_the_others_are_aliases(blank_vocab):
    doc = build(blank_vocab, "Raqqah fell . Aid reached Raqqah . Later Raqqa was calm .",
                [("Raqqah", "GPE"), ("Raqqah", "GPE"), ("Raqqa", "GPE")])
    place = run(doc).places[0]
    assert place.name == "Raqqah" and {"Raqqa", "Ar Raqqah"} <= set(place.aliases)


def test_a_place_qualified_by_its_state_or_region_is_one_place(blank_vocab):
    doc = build(blank_vocab, "She grew up in Cibolo , Texas , and trained in Rome , Italy , on Monday .",
                [("Cibolo", "GPE"), ("Texas", "GPE"), ("Rome", "GPE"), ("Italy", "GPE")])
    result = run(doc)
    places = places_of(result)
    assert set(places) == {"Cibolo", "Rome"}
    assert "Cibolo , Texas" in places["Cibolo"].aliases and "Rome , Italy" in places["Rome"].aliases
    assert places["Rome"].country == "Italy"
    assert result.actors == []


def test_a_list_of_places_is_not_a_qualified_place(blank_vocab):
    doc = build(blank_vocab, "Shelling hit Aleppo , Idlib and Hama .", [("Aleppo", "GPE"), ("Idlib", "GPE"), ("Hama", "GPE")])
    assert len(run(doc).places) == 3


def test_a_capital_written_with_its_own_state_is_the_city(blank_vocab):
    doc = build(blank_vocab, "The envoy travels to Berlin , Germany for talks .", [("Berlin", "GPE"), ("Germany", "GPE")])
    result = run(doc)
    assert [p.name for p in result.places] == ["Berlin"] and result.actors == []


def test_a_direction_before_a_state_is_a_part_of_it(blank_vocab):
    doc = build(blank_vocab, "A soldier died in northern Iraq .", [("Iraq", "GPE")])
    result = run(doc)
    assert [(p.name, p.kind, p.country) for p in result.places] == [("northern Iraq", "region", "Iraq")]
    assert result.actors == []


def test_head_words_around_a_place_are_kept_as_its_longer_forms(blank_vocab):
    doc = build(blank_vocab, "Forces entered the Iraqi city of Mosul and the Al-Sinek neighborhood .",
                [("Iraqi", "NORP"), ("Mosul", "GPE"), ("Al-Sinek", "GPE")], )
    places = places_of(run(doc))
    assert "Iraqi city of Mosul" in places["Mosul"].aliases
    assert "Al-Sinek neighborhood" in places["Al-Sinek"].aliases


def test_a_longer_unknown_name_after_near_beats_another_towns_alias(blank_vocab):
    doc = build(blank_vocab, "Near Dayr Az Zayr , one strike hit a jack .", [])
    assert [p.name for p in run(doc).places] == ["Dayr Az Zayr"]


def test_a_sea_named_after_a_state_is_a_place_not_the_state(blank_vocab):
    doc = build(blank_vocab, "Ships patrol the Gulf of Oman and the Gulf of Aden .", [("Oman", "GPE")])
    result = run(doc)
    assert {p.name for p in result.places} == {"Gulf of Oman", "Gulf of Aden"} and result.actors == []


def test_sites_named_by_what_they_are_are_places(blank_vocab):
    doc = build(blank_vocab, "Strikes destroyed two ISIL - held buildings , an ISIL - held building and a VBIED storage facility .",
                [("ISIL", "ORG", "Islamic State"), ("ISIL", "ORG", "Islamic State")])
    places = places_of(run(doc))
    assert set(places) == {"ISIL - held buildings", "VBIED storage facility"}  # the first written form on a tie
    held = places["ISIL - held buildings"]
    assert held.mentions == 2 and held.kind == "other" and "ISIL - held building" in held.aliases


def test_a_capital_before_a_quarter_word_is_the_city(blank_vocab):
    doc = build(blank_vocab, "Shelling hit Aleppo and the Damascus suburbs .", [("Aleppo", "GPE"), ("Damascus", "GPE")])
    result = run(doc)
    assert {p.name for p in result.places} == {"Aleppo", "Damascus"} and result.actors == []


def test_places_named_by_description_do_not_locate_events(blank_vocab):
    # The casualty and milestone stages place an event by its "place" mentions: a part of a
    # state or a held building would part one incident from its named town.
    doc = build(blank_vocab, "Strikes in northern Iraq hit ISIL - held buildings near Mosul .", [("Iraq", "GPE"), ("ISIL", "ORG", "Islamic State"), ("Mosul", "GPE")])
    result = run(doc)
    assert [m.text for m in result.mentions if m.what == "place"] == ["Mosul"]
    assert {p.name for p in result.places} == {"northern Iraq", "ISIL - held buildings", "Mosul"}


def test_a_capital_struck_or_reached_is_the_city(blank_vocab):
    doc = build(blank_vocab, "Jets carried out air strikes on Sanaa and a missile flew towards Riyadh ; sanctions on Moscow stay .",
                [("Sanaa", "GPE", "Yemen"), ("Riyadh", "GPE", "Saudi Arabia"), ("Moscow", "GPE", "Russia")])
    result = run(doc)
    assert {p.name for p in result.places} == {"Sanaa", "Riyadh"}
    assert {a.name for a in result.actors} == {"Russia"}


def test_every_name_of_a_list_of_towns_is_a_place(blank_vocab):
    doc = build(blank_vocab, "Aid reached the towns of Kafr Dael , Tell Abyad and Marea on Monday .", [("Kafr Dael", "GPE")])
    assert {p.name for p in run(doc).places} >= {"Kafr Dael", "Tell Abyad", "Marea"}
