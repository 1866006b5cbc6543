"""Corrections: stored with reason and user, shown everywhere, undoable, surviving re-extraction."""

from datetime import date

import pytest

from components.models import Actor, Article, Casualty, Extraction, Milestone
from components.store import Store
from components.store.corrections import CorrectionError

TEXT = "Shelling of Kherson on Monday killed four people and wounded nine, officials said. Talks were held in Geneva."


def extraction(version: str = "v1", killed: int = 4) -> Extraction:
    k = TEXT.index("killed four")
    w = TEXT.index("wounded nine")
    t = TEXT.index("Talks")
    return Extraction(
        id="x", extractor_version=version,
        actors=[Actor("Russia", "country", "Russia", canonical="Russia", mentions=1, spans=[(0, 5)]),
                Actor("Moskva", "country", None, canonical="Moskva", mentions=1, spans=[(0, 5)])],
        casualties=[Casualty("killed", killed, killed, killed, None, TEXT, k, k + 11, location="Kherson", date="2025-06-02", counted=True),
                    Casualty("wounded", 9, 9, 9, None, TEXT, w, w + 12, location="Kherson", date="2025-06-02", counted=True)],
        milestones=[Milestone("talks", "held", "Talks were held in Geneva.", t, t + 26, ["Russia", "Ukraine"], "Geneva", "2025-06-02")],
    )


@pytest.fixture()
def store(database_url):
    s = Store(database_url)
    s.save(Article(text=TEXT, published=date(2025, 6, 2), title="Kherson"), extraction())
    return s


def casualty_id(store: Store, kind: str) -> int:
    df = store.casualties()
    return int(df.loc[df["kind"] == kind, "id"].iloc[0])


def test_fix_a_count_with_a_reason_shows_everywhere_and_undoes(store):
    cid = store.corrections.update_item("casualty", casualty_id(store, "killed"), {"count": 5}, "the governor's later statement", user="ana")
    assert store.casualty_totals()["killed"] == 5
    row = store.casualties().set_index("kind").loc["killed"]
    assert row["count"] == 5 and row["correction_id"] == cid
    audit = store.corrections.audit()
    assert (audit.iloc[0]["user"], audit.iloc[0]["reason"], audit.iloc[0]["previous"]) == ("ana", "the governor's later statement", {"count": 4})
    store.corrections.undo(cid, user="ana")
    assert store.casualty_totals()["killed"] == 4
    assert store.corrections.audit().iloc[0]["undone_by"] == "ana"


def test_delete_and_add_items(store):
    store.corrections.delete_item("casualty", casualty_id(store, "wounded"), "double counted")
    assert "wounded" not in store.casualty_totals()
    store.corrections.add_item("casualty", 1, {"kind": "missing", "count": 2, "sentence": "officials said"}, "two missing per the mayor")
    assert store.casualty_totals()["missing"] == 2
    with pytest.raises(CorrectionError, match="not in the article"):
        store.corrections.add_item("casualty", 1, {"kind": "killed", "count": 1, "sentence": "no such words"}, "x")


def test_milestone_status_change_moves_the_track(store):
    mid = int(store.milestones()["id"].iloc[0])
    store.corrections.update_item("milestone", mid, {"status": "failed"}, "talks collapsed after an hour")
    assert store.tracks().iloc[0]["status"] == "failed"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"count": -1}, "between"), ({"count": "many"}, "whole number"), ({"kind": "exploded"}, "kind"), ({"date": "Monday"}, "date"),
     ({"sentence": "x"}, "cannot be corrected")],
)
def test_bad_corrections_are_refused_and_change_nothing(store, changes, message):
    with pytest.raises(CorrectionError, match=message):
        store.corrections.update_item("casualty", casualty_id(store, "killed"), changes, "because")
    assert store.casualty_totals()["killed"] == 4
    assert store.corrections.audit().empty


def test_a_reason_is_required(store):
    with pytest.raises(CorrectionError, match="reason"):
        store.corrections.update_item("casualty", casualty_id(store, "killed"), {"count": 5}, "  ")


def test_corrections_survive_re_extraction_by_a_newer_extractor(store):
    store.corrections.update_item("casualty", casualty_id(store, "killed"), {"count": 6}, "hospital figures")
    store.corrections.delete_item("casualty", casualty_id(store, "wounded"), "wrong incident")
    store.corrections.add_item("milestone", 1, {"kind": "ceasefire", "status": "proposed", "sentence": "officials said"}, "missed")
    orphans = store.replace_extraction(1, extraction("v2", killed=4))
    assert orphans == []
    assert store.casualty_totals() == {"killed": 6}
    assert set(store.milestones()["kind"]) == {"talks", "ceasefire"}
    assert store.article(1)["extractor_version"] == "v2"
    assert store.stale_articles("v2") == []


def test_actor_rename_recountry_merge_apply_to_later_ingests_and_undo(store):
    recountry = store.corrections.recountry_actor("Moskva", "Russia", "a city name read as a country")
    merge = store.corrections.merge_actors("Moskva", "Russia", "same state")
    names = set(store.actors()["name"])
    assert names == {"Russia"}
    store.save(Article(text="Another story about Moskva.", published=date(2025, 6, 3)), extraction())
    assert set(store.actors()["name"]) == {"Russia"}  # the later ingest follows the merge
    store.corrections.rename_actor("Russia", "Russian Federation", "house style")
    assert set(store.actors()["name"]) == {"Russian Federation"}
    with pytest.raises(CorrectionError, match="undo correction"):
        store.corrections.undo(recountry)  # the merge made later on the same actor must go first
    store.corrections.undo(merge)
    assert "Moskva" in set(store.actors()["name"])


def test_several_rows_are_saved_together_or_not_at_all(store):
    killed, wounded = casualty_id(store, "killed"), casualty_id(store, "wounded")
    with pytest.raises(CorrectionError, match="not a date"):
        store.corrections.correct_items("casualty", [(killed, {"count": 6}), (wounded, None), (killed, {"date": "last Monday"})],
                                        "the mayor's figures")
    assert store.casualty_totals() == {"killed": 4, "wounded": 9}  # the first two rows were not kept either
    assert store.corrections.audit().empty
    ids = store.corrections.correct_items("casualty", [(killed, {"count": 6}), (wounded, None)], "the mayor's figures", user="ana")
    assert store.casualty_totals() == {"killed": 6}
    assert store.corrections.audit()["id"].tolist() == sorted(ids, reverse=True)
