"""`eval actors`: strict matching of our items against re3d-style gold spans (issue 14).
A gold file line and an Extraction written by hand; no model."""

from __future__ import annotations

from components.models import Actor, Extraction, Place
from components.tools.evaluate import ActorScores, score_actor_item, strict_match

TEXT = "Gen. Mara Holt said Coalition forces struck near Raqqa, Syria. Holt thanked Denmark."


def gold(text: str, type_: str, confidence: float = 1.0) -> dict:
    start = TEXT.index(text)
    return {"type": type_, "text": text, "begin": start, "end": start + len(text), "confidence": confidence}


def test_strict_matching_drops_determiners_and_titles_and_given_names_only():
    assert strict_match("the Coalition forces", "Organisation", "Coalition forces")
    assert strict_match("Gen. Mara Holt", "Person", "Holt")
    assert not strict_match("Gen. Mara Holt", "Person", "Mara")
    assert not strict_match("Raqqa, Syria", "Location", "Raqqa")  # a part is no match
    assert not strict_match("Coalition forces", "Organisation", "Coalition")


def test_recall_precision_and_causes():
    item = {
        "id": "t1", "text": TEXT,
        "entities": [gold("Mara Holt", "Person"), gold("Coalition forces", "Organisation"), gold("Raqqa, Syria", "Location"),
                     gold("Holt", "Person", 0.0)],
    }
    ex = Extraction(
        id="t1",
        actors=[
            Actor("Mara Holt", "person", aliases=["Holt"], spans=[(5, 14)]),
            Actor("Global Coalition", "organization", aliases=["Coalition forces"], spans=[(20, 29)]),
            Actor("Denmark", "country", spans=[(77, 84)]),
        ],
        places=[Place("Raqqa", "city", "Syria", 1, spans=[(49, 54)])],
    )
    scores = score_actor_item(item, ex, ActorScores())
    assert (scores.recall("Person"), scores.recall("Organisation"), scores.recall("Location")) == (1.0, 1.0, 0.0)
    assert (scores.items_right, scores.items) == (2, 4)
    assert "Location: Raqqa, Syria" in scores.misses["found with other bounds (a part of it, or more)"]
    assert "country: Denmark" in scores.extras["not marked in the gold"]
    report = scores.report()
    assert "precision            0.500  (2/4)" in report and "misses, by cause:" in report
