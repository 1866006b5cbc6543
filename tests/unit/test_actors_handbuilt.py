"""The actor stage on hand-built Docs (spacy.blank vocab): repairs, merging, affiliation, places.

Each Doc carries the entities the statistical model typically gives for such a sentence,
right or wrong, so the rules that repair them are tested without the model.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from components.extract.actors import ActorExtractor, person_name
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout, find_layout

K = load_knowledge()


def build(vocab, text: str, ents: list[tuple[str, str] | tuple[str, str, str]], pos: dict[str, str] | None = None) -> Doc:
    """A Doc of `text` split on spaces (punctuation written as separate words), with the
    entities given as (surface text, label[, knowledge id]) in order of appearance."""
    words = text.split(" ")
    doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False], sent_starts=[True] + [False] * (len(words) - 1),
              pos=[(pos or {}).get(w, "PROPN" if w[:1].isupper() else "NOUN") for w in words])
    spans = []
    cursor = 0
    for ent in ents:
        surface, label = ent[0], ent[1]
        n = len(surface.split(" "))
        start = next(i for i in range(cursor, len(words)) if words[i : i + n] == surface.split(" "))
        spans.append(Span(doc, start, start + n, label=label, span_id=ent[2] if len(ent) > 2 else ""))
        cursor = start + n
    doc.ents = spans
    return doc


def run(doc: Doc, layout: Layout | None = None):
    return ActorExtractor(K).extract(doc, layout or Layout())


def names(result, kind: str | None = None) -> set[str]:
    return {a.name for a in result.actors if kind is None or a.kind == kind}


def test_title_before_a_mislabelled_name_makes_a_person(blank_vocab):
    doc = build(blank_vocab, "Special Advisor Knox Thames will travel to Turkey .", [("Knox Thames", "ORG"), ("Turkey", "GPE", "Turkey")])
    result = run(doc)
    assert "Knox Thames" in names(result, "person")
    assert "Knox Thames" not in names(result, "organization")


def test_rank_and_surname_the_model_missed(blank_vocab):
    doc = build(blank_vocab, "Questions will be answered by Gen. Coe after the briefing .", [])
    assert names(run(doc), "person") == {"Coe"}


def test_apposed_title_after_an_org_labelled_name(blank_vocab):
    doc = build(blank_vocab, "Knox Thames , the Special Advisor to the Secretary , will travel .", [("Knox Thames", "ORG")])
    assert "Knox Thames" in names(run(doc), "person")


def test_titled_forms_initials_and_surnames_merge(blank_vocab):
    doc = build(
        blank_vocab,
        "Gen. Joseph L. Votel visited troops . Votel said Joseph Votel would return .",
        [("Joseph L. Votel", "PERSON"), ("Votel", "ORG"), ("Joseph Votel", "PERSON")],
    )
    people = [a for a in run(doc).actors if a.kind == "person"]
    assert len(people) == 1
    votel = people[0]
    assert votel.mentions == 3 and votel.country == "United States"  # from shipped knowledge
    assert "Votel" in votel.aliases


def test_nicknames_and_titles_are_not_part_of_a_name():
    assert person_name(["Col.", "John", "'J.D.'", "Dorrian"]) == "John Dorrian"
    assert person_name(["Navy", "Capt.", "Jeff", "Davis"]) == "Jeff Davis"
    assert person_name(["MIKHAIL", "KLIMENTYEV"]) == "Mikhail Klimentyev"
    assert person_name(["Sgt."]) == ""


def test_a_surname_that_is_also_a_town_stays_a_person(blank_vocab):
    # Davis (California) is in the gazetteer; here it is the spokesman named before.
    doc = build(blank_vocab, "Capt. Jeff Davis briefed reporters . Davis said the strikes continued .", [("Jeff Davis", "PERSON"), ("Davis", "PERSON")])
    result = run(doc)
    assert names(result, "person") == {"Jeff Davis"}
    assert result.places == []


def test_leading_preposition_in_an_entity_makes_a_place(blank_vocab):
    doc = build(blank_vocab, "Near Bayji , one strike destroyed a bulldozer .", [("Near Bayji", "PERSON")])
    result = run(doc)
    assert result.actors == []
    bayji = result.places[0]
    assert (bayji.name, bayji.country) == ("Bayji", "Iraq") and bayji.lat is not None


def test_unknown_place_after_near_and_after_town_of(blank_vocab):
    doc = build(blank_vocab, "Near Al Shadaddi , one strike hit . Suicide attacks in the town of Tel Tamer killed civilians .", [("Tel Tamer", "PERSON")])
    result = run(doc)
    places = {p.name: p for p in result.places}
    assert set(places) == {"Al Shadaddi", "Tel Tamer"}  # as written; the gazetteer's name is an alias
    assert places["Tel Tamer"].country == "Syria" and places["Al Shadaddi"].country is None
    assert "Tall Tamr" in places["Tel Tamer"].aliases and "town of Tel Tamer" in places["Tel Tamer"].aliases
    assert names(result, "person") == set()


def test_ships_weapons_and_transcript_labels_are_not_actors(blank_vocab):
    doc = build(
        blank_vocab,
        "QUESTION : Did USS Mahan and FS Forbin see the VBIED ? Forbin did .",
        [("QUESTION", "PERSON"), ("USS Mahan", "PERSON"), ("FS Forbin", "ORG"), ("VBIED", "ORG"), ("Forbin", "PERSON")],
    )
    result = run(doc)
    assert result.actors == [] and result.places == []


def test_documents_days_and_title_fragments_are_not_actors(blank_vocab):
    doc = build(
        blank_vocab,
        "The Geneva Communique was read on Thanksgiving Day by Navy Capt. Davis .",
        [("Geneva Communique", "ORG"), ("Thanksgiving Day", "ORG"), ("Navy Capt.", "ORG"), ("Davis", "PERSON")],
    )
    result = run(doc)
    assert names(result) == {"Davis"}


def test_adjective_and_forces_name_the_armed_forces_of_that_state(blank_vocab):
    doc = build(
        blank_vocab,
        "U.S. forces advise Chadian troops and the Iraqi government .",
        [("U.S.", "GPE", "United States"), ("Chadian", "NORP", "Chad"), ("Iraqi", "NORP", "Iraq")],
    )
    result = run(doc)
    by_name = {a.name: a for a in result.actors}
    assert by_name["United States Armed Forces"].country == "United States"  # shipped: "U.S. forces"
    assert by_name["Chadian armed forces"].country == "Chad" and by_name["Chadian armed forces"].kind == "organization"
    iraq = by_name["Iraq"]
    assert iraq.kind == "country" and "Iraqi government" in iraq.aliases
    assert "United States" not in by_name and "Chad" not in by_name


def test_government_of_and_regime_of_a_leader_count_toward_the_state(blank_vocab):
    doc = build(
        blank_vocab,
        "We support the Government of Iraq against the Asad regime .",
        [("Iraq", "GPE", "Iraq"), ("Asad", "PERSON")],
    )
    by_name = {a.name: a for a in run(doc).actors}
    assert "Government of Iraq" in by_name["Iraq"].aliases
    assert "Asad regime" in by_name["Syria"].aliases
    assert "Bashar al-Assad" not in by_name


def test_body_of_a_state_named_with_its_adjective(blank_vocab):
    doc = build(blank_vocab, "Officials at the Iraqi Ministry of Culture welcomed the grant .", [("Iraqi", "NORP", "Iraq")])
    body = next(a for a in run(doc).actors if a.kind == "organization")
    assert (body.name, body.country) == ("Iraqi Ministry of Culture", "Iraq")


def test_capitalised_coalition_is_the_coalition_of_its_war(blank_vocab):
    doc = build(blank_vocab, "Coalition military forces struck ISIL targets .", [("ISIL", "ORG", "Islamic State")])
    result = run(doc)
    coalition = next(a for a in result.actors if "Coalition" in a.name)
    assert coalition.name == "Global Coalition to Defeat ISIS" and "Coalition" in coalition.aliases


def test_compound_of_two_countries_is_two_mentions(blank_vocab):
    doc = build(blank_vocab, "A strong U.S.-Iraq partnership matters .", [("U.S.-Iraq", "GPE")])
    result = run(doc)
    assert names(result) == {"United States", "Iraq"}
    us = next(m for m in result.mentions if m.name == "United States")
    assert doc.text[us.start : us.end] == "U.S."


def test_region_with_its_type_word_and_facility(blank_vocab):
    doc = build(
        blank_vocab,
        "Strikes hit Idlib province and the Tabqa Dam .",
        [("Idlib province", "GPE", "Idlib"), ("Tabqa", "GPE")],
    )
    places = {p.name: p for p in run(doc).places}
    idlib = places["Idlib"]
    assert (idlib.kind, idlib.country) == ("region", "Syria") and idlib.lat is not None and "Idlib province" in idlib.aliases
    assert places["Tabqa Dam"].kind == "other"


def test_metonym_used_as_a_place_is_its_capital(blank_vocab):
    doc = build(blank_vocab, "They will meet at the White House on Monday .", [("White House", "GPE", "United States")])
    places = run(doc).places
    assert [(p.name, p.country) for p in places] == [("Washington", "United States")]


def test_nisba_belongs_to_the_name(blank_vocab):
    # "Abu Jandal al-Kuwaiti was killed." as the tokenizer splits it.
    words = ["Abu", "Jandal", "al", "-", "Kuwaiti", "was", "killed", "."]
    doc = Doc(blank_vocab, words=words, spaces=[True, True, False, False, True, True, False, False], sent_starts=[True] + [False] * 7)
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 4, 5, label="NORP", span_id="Kuwait")]
    assert names(run(doc)) == {"Abu Jandal al-Kuwaiti"}


def test_credits_and_bylines_are_left_out(blank_vocab):
    text = "Strikes continued , Kerry said .\nPhoto : Anna KOVAL / AFP\nBy John Smith"
    words = text.replace("\n", " \n ").split(" ")
    doc = Doc(blank_vocab, words=words, spaces=[w != "\n" and i + 1 < len(words) and words[i + 1] != "\n" for i, w in enumerate(words)])
    for i in range(len(words)):
        doc[i].is_sent_start = i == 0 or words[i - 1] == "\n"
    doc.ents = [Span(doc, words.index("Kerry"), words.index("Kerry") + 1, label="PERSON"),
                Span(doc, words.index("Anna"), words.index("Anna") + 2, label="PERSON"),
                Span(doc, words.index("John"), words.index("John") + 2, label="PERSON")]
    result = run(doc, find_layout(doc.text))
    assert names(result) == {"John Kerry"}


@pytest.mark.parametrize("name", ["Владимир Путин", "بشار الأسد", "习近平", "Ζελένσκι"])
def test_names_in_other_scripts_do_not_crash(blank_vocab, name):
    doc = build(blank_vocab, f"{name} spoke in Kyiv .", [(name, "PERSON"), ("Kyiv", "GPE", "Ukraine")])
    result = run(doc)
    # The place after the name is still read, with its offsets; the name is kept as written or left out, never mangled.
    assert [(p.name, p.kind, p.country, [doc.text[s:e] for s, e in p.spans]) for p in result.places] == [("Kyiv", "city", "Ukraine", ["Kyiv"])]
    assert [(a.name, a.kind, a.spans) for a in result.actors] in ([], [(name, "person", [(0, len(name))])])


def test_thousands_of_names_are_each_one_person_with_both_mentions(blank_vocab):
    words, ents = [], []
    def letters(i: int) -> str:
        out = ""
        for _ in range(3):
            i, r = divmod(i, 26)
            out += "abcdefghijklmnopqrstuvwxyz"[r]
        return out

    expected = {}
    for i in range(3000):
        first, last = f"Ana{letters(i)}", f"Kov{letters(i)}enko"
        start = len(words)
        words += [first, last, "met", last, "in", "Kyiv", "."]
        ents += [(start, start + 2, "PERSON"), (start + 3, start + 4, "PERSON"), (start + 5, start + 6, "GPE")]
        expected[f"{first} {last}"] = last
    doc = Doc(blank_vocab, words=words, sent_starts=[w == words[0] or (i > 0 and words[i - 1] == ".") for i, w in enumerate(words)])
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    result = run(doc)
    people = {a.name: a for a in result.actors if a.kind == "person"}
    assert set(people) == set(expected)  # no name lost, merged with another or split
    assert [a for a in result.actors if a.kind != "person"] == []
    for name, person in people.items():
        assert person.mentions == 2 and person.aliases == [expected[name]], person
        assert [doc.text[s:e] for s, e in person.spans] == [name, expected[name]], person
    assert [(p.name, p.country, len(p.spans)) for p in result.places] == [("Kyiv", "Ukraine", 3000)]


def test_transcript_speaker_labels_in_capitals(blank_vocab):
    doc = build(blank_vocab, "SECRETARY KERRY : Thank you . QUESTION : Will you go ? MR KIRBY : Yes .", [("QUESTION", "PERSON"), ("KIRBY", "PERSON")])
    result = run(doc)
    assert names(result) == {"John Kerry", "John Kirby"}
