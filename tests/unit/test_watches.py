"""Watches: the store keeps them per owner, the service says what is new since last seen."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.models import Actor, Article, Casualty, Extraction, Milestone
from components.roles import Principal
from components.services import watches as service
from components.store import Filters, Store
from components.store import watches as store_watches
from components.store.watches import WatchError, filters_from_dict, filters_to_dict

ALICE = Principal("alice", "viewer")
BOB = Principal("bob", "analyst")


def report(title: str, day: str, *, place: str = "Lysychansk", killed: int | None = None, wounded: int | None = None,
           milestone: tuple[str, str] | None = None, parties: tuple[str, ...] = ("Moldova", "Georgia"),
           actor: str = "Moldova", source: str = "Test Desk") -> tuple[Article, Extraction]:
    """One short made-up report: a toll at a place and/or a negotiation milestone."""
    text = f"{title}. Officials gave figures on {day} in {place}; talks between the sides were discussed."
    casualties = [Casualty(kind, count, count, count, None, text, 0, 10, "civilians", None, place, "Ukraine", day, 0, False, True)
                  for kind, count in (("killed", killed), ("wounded", wounded)) if count is not None]
    milestones = [Milestone(milestone[0], milestone[1], text, 20, 40, list(parties), "Chisinau", day)] if milestone else []
    extraction = Extraction(
        id="x", title=title, published=day, dateline=None,
        actors=[Actor(actor, "country", actor, None, 1, [], actor, [(0, 3)])], places=[],
        casualties=casualties, totals={c.kind: c.count for c in casualties}, milestones=milestones,
        figures=[], quotes=[], extractor_version="test", model="none",
    )
    return Article(text=text, title=title, published=date.fromisoformat(day), source=source), extraction


def store_report(store: Store, *args, **kwargs) -> int:
    article, extraction = report(*args, **kwargs)
    return store.save(article, extraction).article_id


@pytest.fixture()
def store(database_url) -> Store:
    s = Store(database_url)
    store_report(s, "Shelling in Lysychansk", "2025-03-03", killed=3, milestone=("talks", "proposed"))
    return s


def test_a_new_watch_has_nothing_new(store):
    watch = service.create_watch(store, "Lysychansk", Filters())
    news = service.whats_new(store, watch)
    assert news.total == 0 and news.counts() == "nothing new"


def test_new_incident_toll_rise_status_change_and_new_milestone(store):
    watch = service.create_watch(store.for_principal(ALICE), "Everything", Filters())
    store_report(store, "Strike on Sievierodonetsk", "2025-03-05", place="Sievierodonetsk", killed=2, wounded=6)
    store_report(store, "Lysychansk toll rises", "2025-03-03", killed=7)  # the same place and day: the same incident
    store_report(store, "Talks agreed", "2025-03-06", milestone=("talks", "held"))  # the same track moves on
    news = service.whats_new(store, store_watches.get(store.for_principal(ALICE), watch.id))
    assert [(n.place, n.tolls) for n in news.incidents] == [("Sievierodonetsk, Ukraine", {"killed": 2, "wounded": 6})]
    assert [(r.place, r.kind, r.before, r.after) for r in news.tolls] == [("Lysychansk, Ukraine", "killed", 3, 7)]
    assert [(c.what, c.kind, c.before, c.after) for c in news.statuses] == [("negotiation", "talks", "proposed", "held")]
    assert [(m.kind, m.status, m.date) for m in news.milestones] == [("talks", "held", "2025-03-06")]
    assert news.counts() == "1 new incident · 1 toll rose · 1 status changed · 1 new milestone"
    seen = service.mark_seen(store.for_principal(ALICE), news)
    assert seen.seen_at is not None and service.whats_new(store, seen).total == 0


def test_marking_seen_keeps_what_arrived_after_the_news_were_read(store):
    watch = service.create_watch(store, "All", Filters())
    store_report(store, "First new strike", "2025-03-10", place="Kupiansk", killed=1)
    shown = service.whats_new(store, watch)
    store_report(store, "Second new strike", "2025-03-12", place="Izium", killed=4)  # while the reader was reading
    after = service.whats_new(store, service.mark_seen(store, shown))
    assert [n.place for n in after.incidents] == ["Izium, Ukraine"]


def test_only_what_matches_the_watch_counts(store):
    watch = service.create_watch(store, "Killed in Moldova's view", Filters(actors=("Moldova",), casualty_kinds=("killed",)))
    store_report(store, "Elsewhere", "2025-03-05", place="Bakhmut", killed=5, actor="Georgia")  # another actor
    store_report(store, "Wounded only", "2025-03-05", place="Avdiivka", wounded=5)  # not a killed figure
    assert service.whats_new(store, watch).total == 0
    store_report(store, "In view", "2025-03-05", place="Toretsk", killed=5)
    assert [n.place for n in service.whats_new(store, watch).incidents] == ["Toretsk, Ukraine"]


def test_an_open_ended_watch_sees_later_articles_but_a_closed_one_does_not(store):
    open_watch = service.create_watch(store, "From March", Filters(date_from=date(2025, 3, 1)))
    closed = service.create_watch(store, "Early March", Filters(date_from=date(2025, 3, 1), date_to=date(2025, 3, 4)))
    store_report(store, "Later", "2025-04-01", place="Vuhledar", killed=2)
    assert len(service.whats_new(store, open_watch).incidents) == 1
    assert service.whats_new(store, closed).total == 0


def test_a_corrected_milestone_status_is_a_status_change(store):
    watch = service.create_watch(store, "Talks", Filters(milestone_kinds=("talks",)))
    first = int(store.articles()["id"].iloc[0])
    milestone = store.article_items(first, "milestone").iloc[0]
    store.corrections.update_item("milestone", int(milestone["id"]), {"status": "failed"}, reason="the talks collapsed, said a later report")
    news = service.whats_new(store, watch)
    assert {(c.what, c.before, c.after) for c in news.statuses} == {("milestone", "proposed", "failed"), ("negotiation", "proposed", "failed")}
    assert news.milestones == []  # the same milestone, corrected: not a new one
    assert news.statuses[0].direction == "back"


def test_milestones_sharing_a_sentence_are_told_apart(store):
    """One sentence often holds several milestones (talks held, a ceasefire proposed): same article, same span."""
    article, extraction = report("Talks and a truce", "2025-03-07")
    text = article.text
    extraction.milestones = [Milestone("talks", "held", text, 0, 30, ["Moldova", "Georgia"], None, "2025-03-07"),
                             Milestone("ceasefire", "proposed", text, 0, 30, ["Moldova", "Georgia"], None, "2025-03-07")]
    store.save(article, extraction)
    watch = service.create_watch(store, "Truce", Filters())
    assert service.whats_new(store, watch).total == 0


def test_watches_are_personal(store):
    alice, bob = store.for_principal(ALICE), store.for_principal(BOB)
    mine = service.create_watch(alice, "Mine", Filters())
    service.create_watch(bob, "Mine", Filters())  # the same name for another owner
    assert [w.owner for w in service.watches_of(alice)] == ["alice"]
    with pytest.raises(WatchError, match="no watch #"):
        service.rename_watch(bob, mine.id, "Taken")
    with pytest.raises(WatchError, match="no watch #"):
        service.remove_watch(bob, mine.id)
    with pytest.raises(WatchError, match="personal"):
        service.watches_of(bob, "alice")
    # The server's command line (the local principal) reads everyone's, for the digest.
    assert sorted(w.owner for w in service.watches_of(store, service.ALL)) == ["alice", "bob"]


def test_rename_remove_and_name_checks(store):
    alice = store.for_principal(ALICE)
    watch = service.create_watch(alice, "  Donbas   strikes ", Filters())
    assert watch.name == "Donbas strikes"
    other = service.create_watch(alice, "Other", Filters())
    with pytest.raises(WatchError, match="already have a watch named 'Donbas strikes'"):
        service.create_watch(alice, "Donbas strikes", Filters())
    with pytest.raises(WatchError, match="already have a watch named 'Other'"):
        service.rename_watch(alice, watch.id, "Other")
    assert service.rename_watch(alice, watch.id, "Donbas").name == "Donbas"
    for bad, why in (("  ", "needs a name"), ("x" * 201, "longer than 200"), ("bad\x07name", "control characters")):
        with pytest.raises(WatchError, match=why):
            service.create_watch(alice, bad, Filters())
    service.remove_watch(alice, other.id)
    assert [w.name for w in service.watches_of(alice)] == ["Donbas"]


def test_the_filter_dict_round_trips_and_refuses_what_is_not_a_filter():
    view = Filters(date_from=date(2025, 6, 1), countries=("Ukraine",), actors=("Kyiv <b>Council</b>",), casualty_kinds=("killed",),
                   statuses=("agreed",))
    stored = filters_to_dict(view)
    assert stored == {"from": "2025-06-01", "country": ["Ukraine"], "actor": ["Kyiv <b>Council</b>"], "ckind": ["killed"], "mstatus": ["agreed"]}
    assert filters_from_dict(stored) == view
    for bad, why in (({"colour": ["red"]}, "unknown filters in the watch: colour"), ({"from": "June"}, "'from' date 'June' is not a date"),
                     ({"ckind": ["eaten"]}, "unknown values"), ({"actor": 3}, "list of names"),
                     ({"from": "2025-06-02", "to": "2025-06-01"}, "run backwards")):
        with pytest.raises(WatchError, match=why):
            filters_from_dict(bad)


def test_digest_text_is_plain_and_one_line_per_item(store):
    watch = service.create_watch(store, "All", Filters())
    store_report(store, "Strike\x1b[31m on\nKostiantynivka", "2025-03-08", place="Kostiantynivka", killed=4)
    text = service.digest_text([service.whats_new(store, watch)])
    assert "\x1b" not in text
    lines = text.splitlines()
    assert lines[0] == "Watches of the local user"
    assert lines[1].startswith("Watch “All” (since ") and lines[1].endswith("): 1 new incident")
    assert lines[2:] == ["  New incidents:", "    - 2025-03-08 Kostiantynivka, Ukraine: killed 4 (“Strike [31m on Kostiantynivka”, Test Desk)"]


def test_the_news_take_the_same_passes_over_a_view_however_many_incidents_it_holds(store, monkeypatch):
    """Worked out in passes over the whole view, never one per incident: the work per incident is
    then a dict lookup, not a pandas group (which took seconds on a view of thousands)."""
    watch = service.create_watch(store, "Everything", Filters())
    passes: list[int] = []
    walk = pd.DataFrame.itertuples

    def counted(frame, *args, **kwargs):
        passes.append(len(frame))
        return walk(frame, *args, **kwargs)

    def news_after(more: int, first_day: int) -> int:
        for n in range(first_day, first_day + more):
            store_report(store, f"Strike {n}", f"2025-04-{n:02d}", place=f"Village {n}", killed=n)
        passes.clear()
        with monkeypatch.context() as patch:
            patch.setattr(pd.DataFrame, "itertuples", counted)
            news = service.whats_new(store, watch)
        assert len(news.incidents) == first_day + more - 1
        return len(passes)

    assert news_after(3, 1) == news_after(12, 4)
