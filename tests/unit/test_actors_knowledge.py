"""The shipped knowledge: its files keep their rules, regions load, the ruler sees them."""

from __future__ import annotations

import json

import pytest

from components.extract.knowledge import DATA_DIR, ascii_name, load_knowledge, region_forms, ruler_patterns, surface_variants

K = load_knowledge()


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def test_every_country_value_names_a_shipped_country():
    countries = {r["name"] for r in rows("countries.jsonl")}
    for name in ("organizations.jsonl", "armed_groups.jsonl", "people.jsonl", "regions.jsonl"):
        for r in rows(name):
            assert r["country"] is None or r["country"] in countries, (name, r["name"])


def test_no_surface_form_belongs_to_two_entities():
    owner: dict[str, str] = {}
    for name in ("countries.jsonl", "organizations.jsonl", "armed_groups.jsonl", "people.jsonl"):
        for r in rows(name):
            forms = [r["name"], *r.get("aliases", [])]
            if name == "countries.jsonl":
                forms += [r.get("official"), *r.get("adjectives", []), *r.get("demonyms", [])]
            for form in filter(None, forms):
                assert owner.setdefault(form, r["name"]) == r["name"], (form, owner[form], r["name"])


def test_regions_have_coordinates_and_keys():
    for r in rows("regions.jsonl"):
        assert list(r) == ["name", "country", "type", "aliases", "bare", "lat", "lon"], r["name"]
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, r["name"]


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("Donetsk Oblast", "Donetsk", "Ukraine"),
        ("Donetsk region", "Donetsk", "Ukraine"),
        ("Idlib province", "Idlib", "Syria"),
        ("Diyala Governorate", "Diyala", "Iraq"),
        ("Helmand", "Helmand", "Afghanistan"),
        ("Borno State", "Borno", "Nigeria"),
        ("North Darfur", "North Darfur", "Sudan"),
        ("North Kivu", "North Kivu", "DR Congo"),
        ("the Gaza Strip", "Gaza Strip", "Palestine"),
        ("West Bank", "West Bank", "Palestine"),
        ("Tigray", "Tigray", "Ethiopia"),
        ("Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa", "Pakistan"),
        ("Rakhine State", "Rakhine", "Myanmar"),
    ],
)
def test_first_level_regions_are_places(text, name, country):
    place = K.place(text)
    assert place is not None and (place.name, place.kind, place.country) == (name, "region", country)
    assert place.lat is not None and place.lon is not None


def test_a_bare_name_shared_by_city_and_region_is_the_city():
    assert K.place("Idlib").kind == "city" and K.place("Idlib province").kind == "region"
    assert K.place("Kharkiv").kind == "city" and K.place("Kharkiv Oblast").kind == "region"


def test_small_towns_of_war_zones_and_ascii_names():
    tal_afar = K.place("Tal Afar")
    assert tal_afar is not None and tal_afar.country == "Iraq" and tal_afar.name.isascii()
    assert ascii_name("Sinjār") == "Sinjar" and ascii_name("Tall \u2018Afar") == "Tall 'Afar"


def test_region_forms_and_surface_variants():
    assert region_forms("Donetsk", "oblast") == ["Donetsk Oblast", "Donetsk oblast", "Donetsk Region", "Donetsk region", "Donetsk Province", "Donetsk province"]
    assert region_forms("Kyiv Oblast", "oblast") == []
    assert "Iraqi security forces" in surface_variants("Iraqi Security Forces")
    assert "Da\u2019esh" in surface_variants("Da'esh")


def test_ruler_patterns_carry_regions_variants_and_unit_patterns():
    patterns = ruler_patterns(K)
    phrases = {(p["label"], p["pattern"]): p.get("id") for p in patterns if isinstance(p["pattern"], str)}
    assert phrases[("GPE", "Diyala Province")] == "Diyala"
    assert phrases[("ORG", "Kurdistan regional government")] == "Kurdistan Regional Government"
    assert phrases[("ORG", "CENTCOM")] == "U.S. Central Command"
    assert phrases[("ORG", "Da\u2019esh")] == "Islamic State"
    assert ("GPE", "Farah") not in phrases  # a province whose bare name is a first name
    assert any(isinstance(p["pattern"], list) for p in patterns)  # military units, from patterns.jsonl


def test_ruler_tags_units_regions_and_variants():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(ruler_patterns(K))
    doc = nlp("Soldiers of the 3rd Battalion, 321st Field Artillery Regiment and Iraqi security forces fought Da\u2019esh in Donetsk Oblast.")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("3rd Battalion", "ORG", "") in ents
    assert ("321st Field Artillery Regiment", "ORG", "") in ents
    assert ("Iraqi security forces", "ORG", "Iraqi Security Forces") in ents
    assert ("Da\u2019esh", "ORG", "Islamic State") in ents
    assert ("Donetsk Oblast", "GPE", "Donetsk") in ents


def test_word_case_restores_known_names():
    assert K.word_case["nato"] == "NATO" and K.word_case["putin"] == "Putin"
    assert "us" not in K.word_case  # a word before it is a country
