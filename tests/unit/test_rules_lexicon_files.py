"""The rule stages' word lists (data/lexicon/*.json) stay readable and match the code that reads them."""

import json

import pytest

from components.extract.lexicon import LEXICON_DIR, load_lexicon

STAGES = ["casualties", "counting", "dates", "figures", "milestones", "numbers", "quotes", "relations"]


@pytest.mark.parametrize("stage", STAGES)
def test_word_lists_are_sorted_and_without_duplicates(stage):
    entries = json.loads((LEXICON_DIR / f"{stage}.json").read_text(encoding="utf-8"))
    for name, value in entries.items():
        if name.startswith("_") or not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            continue
        assert value == sorted(set(value)), f"{stage}.json {name}: keep words sorted, once each"


@pytest.mark.parametrize("stage", STAGES)
def test_every_note_belongs_to_an_entry(stage):
    entries = json.loads((LEXICON_DIR / f"{stage}.json").read_text(encoding="utf-8"))
    for name in entries:
        if name.startswith("_") and name != "_about":
            assert name[1:] in entries, f"{stage}.json: note {name} has no entry {name[1:]}"


def test_fail_phrases_keep_null_as_any_particle():
    assert ("withdraw", None) in load_lexicon("milestones").pairs("FAIL_PHRASES")


def test_victim_categories_keep_their_order():
    from components.extract.casualties import VICTIM_CATEGORIES

    assert list(VICTIM_CATEGORIES)[:2] == ["children", "police"]
