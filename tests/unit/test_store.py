from datetime import date, timedelta

import pandas as pd
import pytest

from components.models import Actor, Article, Casualty, Extraction, Milestone, Place, Quote
from components.store import Filters, Store, inserts


def extraction(text: str) -> Extraction:
    start = text.index("nine")
    return Extraction(
        id="x", title="T", published="2025-05-17", dateline="Kyiv, Ukraine",
        actors=[Actor("Vladimir Putin", "person", "Russia", "President", 2, ["Putin"], "Vladimir Putin", [(0, 5)]),
                Actor("Russia", "country", "Russia", None, 3, ["Kremlin"], "Russia", [(10, 16)])],
        places=[Place("Sumy", "region", "Ukraine", 1, 50.9, 34.8, [(20, 24)])],
        casualties=[Casualty("killed", 9, 9, 9, None, text, start, start + 4, "civilians", "Russia", "Sumy", "Ukraine", "2025-05-17", 0, False, True),
                    Casualty("killed", 9, 9, 9, None, text, start, start + 4, counted=False)],
        totals={"killed": 9},
        milestones=[Milestone("talks", "held", text, 0, 10, ["Russia", "Ukraine"], "Istanbul", "2025-05-16")],
        quotes=[Quote("Vladimir Putin", "We are ready", 0, 12)],
        extractor_version="test", model="none",
    )


TEXT = "Putin says Russia struck Sumy, killing nine people."


def article(text: str = TEXT, title: str = "T") -> Article:
    return Article(text=text, title=title, published=date(2025, 5, 17), source="Wire")


def test_save_and_read_back(database_url):
    store = Store(database_url)
    result = store.save(article(), extraction(TEXT))
    assert result.status == "stored"
    back = store.extraction(result.article_id)
    assert back.totals == {"killed": 9}
    assert back.actors[0].spans == [(0, 5)]
    assert back.milestones[0].parties == ["Russia", "Ukraine"]
    assert store.casualty_totals() == {"killed": 9}
    actors = store.actors()
    assert set(actors["name"]) == {"Vladimir Putin", "Russia"}


def test_same_text_twice_is_stored_once(database_url):
    store = Store(database_url)
    first = store.save(article(), extraction(TEXT))
    second = store.save(article(title="Another title"), extraction(TEXT))
    assert (first.status, second.status) == ("stored", "duplicate")
    assert second.article_id == first.article_id
    assert store.article_count() == 1


def test_whitespace_differences_are_the_same_article(database_url):
    store = Store(database_url)
    store.save(article(), extraction(TEXT))
    assert store.save(article(TEXT.replace(" ", "  ")), extraction(TEXT)).status == "duplicate"


def test_a_failure_mid_write_leaves_nothing(database_url, monkeypatch):
    store = Store(database_url)
    store.save(article(), extraction(TEXT))
    other = "A different story about talks in Geneva with nine delegates."

    def boom(*_args, **_kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(inserts, "_insert_places", boom)  # after the article and its actors are written
    with pytest.raises(RuntimeError):
        store.save(article(other), extraction(TEXT))
    monkeypatch.undo()
    assert store.article_count() == 1
    assert len(store.casualties()) == 2  # only the first article's rows
    assert not store.has_article(other)


def test_filters(database_url):
    store = Store(database_url)
    store.save(article(), extraction(TEXT))
    assert len(store.articles(Filters(date_from=date(2025, 5, 18)))) == 0
    assert len(store.articles(Filters(actors=("Vladimir Putin",)))) == 1
    assert len(store.articles(Filters(countries=("France",)))) == 0
    assert len(store.articles(Filters(sources=("Wire",)))) == 1
    assert len(store.milestones(Filters(statuses=("agreed",)))) == 0
    assert store.casualty_totals(Filters(casualty_kinds=("wounded",))) == {}


def test_counted_only_excludes_repeats(database_url):
    store = Store(database_url)
    store.save(article(), extraction(TEXT))
    assert len(store.casualties(counted_only=True)) == 1


def toll(kind: str, count: int, where: str | None, when: str, text: str) -> Casualty:
    return Casualty(kind, count, count, count, None, text, 0, 5, location=where, country="Ukraine", date=when, counted=True)


def report(store: Store, text: str, published: str, casualties=(), milestones=()) -> int:
    ex = Extraction(id="x", casualties=list(casualties), milestones=list(milestones), extractor_version="t")
    return store.save(Article(text=text, published=date.fromisoformat(published)), ex).article_id


def test_one_incident_reported_twice_counts_once_at_its_latest_report(database_url):
    store = Store(database_url)
    report(store, "first report", "2025-06-03", [toll("killed", 9, "Kharkiv", "2025-06-03", "nine killed"), toll("wounded", 31, "Kharkiv", "2025-06-03", "31 hurt")])
    report(store, "toll rises", "2025-06-04", [toll("killed", 14, "Kharkiv", "2025-06-03", "toll rose to 14")])
    report(store, "another city", "2025-06-04", [toll("killed", 2, "Odesa", "2025-06-04", "two killed")])
    assert store.casualty_totals() == {"killed": 16, "wounded": 31}
    incidents = store.incidents()
    kharkiv = incidents[(incidents["location"] == "Kharkiv") & (incidents["kind"] == "killed")].iloc[0]
    assert (kharkiv["latest"], kharkiv["low"], kharkiv["high"], kharkiv["sources"]) == (14, 9, 14, 2)
    assert len(store.incident_sources(int(kharkiv["incident_id"]))) == 3


def test_one_town_written_two_ways_is_one_incident(database_url):
    store = Store(database_url)
    for name, text in [("Raqqa", "first outlet"), ("Raqqah", "second outlet")]:
        ex = Extraction(id="x", casualties=[toll("killed", 7, name, "2025-06-03", "seven killed")],
                        places=[Place(name, "city", "Syria", 1, 35.95, 39.01, [(0, 5)], aliases=["Ar Raqqah"])], extractor_version="t")
        store.save(Article(text=text, published=date(2025, 6, 3)), ex)
    store.save(Article(text="elsewhere", published=date(2025, 6, 3)),
               Extraction(id="y", casualties=[toll("killed", 2, "Tabqa", "2025-06-03", "two killed")],
                          places=[Place("Tabqa", "city", "Syria", 1, 35.83, 38.55, [(0, 5)])], extractor_version="t"))
    assert store.incidents()["incident_id"].nunique() == 2  # same coordinates: one incident; another town: another
    assert store.casualty_totals() == {"killed": 9}


def test_same_place_days_apart_or_unknown_place_are_separate_incidents(database_url):
    store = Store(database_url)
    report(store, "monday", "2025-06-02", [toll("killed", 3, "Kherson", "2025-06-02", "three")])
    report(store, "friday", "2025-06-06", [toll("killed", 4, "Kherson", "2025-06-06", "four")])
    report(store, "nowhere a", "2025-06-06", [toll("killed", 1, None, "2025-06-06", "one")])
    report(store, "nowhere b", "2025-06-06", [toll("killed", 1, None, "2025-06-06", "one")])
    assert store.casualty_totals() == {"killed": 9}
    assert store.incidents()["incident_id"].nunique() == 4


def test_a_swap_is_one_track_from_proposal_to_completion(database_url):
    store = Store(database_url)
    sides = ["Russia", "Ukraine"]
    report(store, "proposed", "2025-06-05", milestones=[Milestone("prisoner_exchange", "proposed", "s", 0, 1, ["Ukraine"], date="2025-06-05")])
    report(store, "agreed", "2025-06-09", milestones=[Milestone("prisoner_exchange", "agreed", "s", 0, 1, sides, date="2025-06-09")])
    report(store, "done", "2025-06-14", milestones=[Milestone("prisoner_exchange", "completed", "s", 0, 1, sides, date="2025-06-14"),
                                                   Milestone("talks", "planned", "s", 0, 1, sides, date="2025-06-20")])
    report(store, "elsewhere", "2025-06-14", milestones=[Milestone("prisoner_exchange", "agreed", "s", 0, 1, ["Israel", "Hamas"], date="2025-06-14")])
    tracks = store.tracks()
    swap = tracks[(tracks["kind"] == "prisoner_exchange") & tracks["parties"].map(lambda p: p == sides)]
    assert len(swap) == 1
    assert (swap.iloc[0]["status"], swap.iloc[0]["milestones"], str(swap.iloc[0]["first_date"])) == ("completed", 3, "2025-06-05")
    assert len(tracks) == 3


def test_relations_are_stored_under_canonical_names_and_aggregated(database_url):
    from components.models import Relation

    store = Store(database_url)
    for n in range(2):
        ex = Extraction(id="x", actors=[Actor("Putin", "person", "Russia", canonical="Vladimir Putin", mentions=1),
                                        Actor("Zelensky", "person", "Ukraine", canonical="Volodymyr Zelensky", mentions=1)],
                        relations=[Relation("Putin", "Zelensky", "co-occurrence", 2), Relation("Putin", "Zelensky", "meets", 1)])
        store.save(Article(text=f"story {n}", published=date(2025, 6, 1 + n)), ex)
    rel = store.relations().set_index("kind")
    assert rel.loc["co-occurrence", "source"] == "Vladimir Putin" and rel.loc["co-occurrence", "target"] == "Volodymyr Zelensky"
    assert (rel.loc["co-occurrence", "weight"], rel.loc["co-occurrence", "articles"]) == (4, 2)
    assert len(store.relations(kinds=("meets",))) == 1


def test_view_summaries_are_counted_in_the_database(database_url):
    store = Store(database_url)
    report(store, "first report", "2025-06-03", [toll("killed", 9, "Kharkiv", "2025-06-03", "nine"), toll("wounded", 31, "Kharkiv", "2025-06-03", "31")],
           [Milestone("talks", "held", "s", 0, 1, ["Russia", "Ukraine"], date="2025-06-02")])
    report(store, "toll rises", "2025-06-04", [toll("killed", 14, "Kharkiv", "2025-06-03", "14")],
           [Milestone("talks", "planned", "s", 0, 1, ["Russia", "Ukraine"], date="2025-06-09")])
    report(store, "another city", "2025-06-04", [toll("killed", 2, "Odesa", "2025-06-04", "two")])
    assert store.summary() == {"articles": 3, "actors": 0, "milestones": 2, "incidents": 2, "undated": 0}
    by_day = store.incidents_by(by="date").set_index(["date", "kind"])["latest"].to_dict()
    assert by_day == {(date(2025, 6, 3), "killed"): 14, (date(2025, 6, 3), "wounded"): 31, (date(2025, 6, 4), "killed"): 2}
    by_place = store.incidents_by(by="location").groupby("location")["latest"].sum().to_dict()
    assert by_place == {"Kharkiv": 45, "Odesa": 2}
    newest = store.milestones(latest=1)
    assert newest["status"].tolist() == ["planned"]
    assert store.has_illustrative() is False


def test_every_change_the_pages_show_moves_the_data_version_and_reads_do_not(database_url):
    from components.store.stories import story_index

    store = Store(database_url)
    seen = [store.data_version()]

    def moved() -> bool:
        seen.append(store.data_version())
        return seen[-1] > seen[-2]

    first = store.save(article(), extraction(TEXT)).article_id
    assert moved()
    assert store.save(article(), extraction(TEXT)).status == "duplicate" and not moved()
    store.articles(), store.casualty_totals(), store.summary()
    assert not moved()
    (item_id,) = store.article_items(first, "casualty").query("counted")["id"].tolist()
    correction = store.corrections.update_item("casualty", item_id, {"count": 11}, "the ministry's later figure")
    assert moved()
    store.corrections.undo(correction)
    assert moved()
    store.replace_extraction(first, extraction(TEXT))
    assert moved()
    other = store.save(article(TEXT + " Talks went on."), extraction(TEXT + " Talks went on.")).article_id
    assert moved()
    story_index(store).assign(other, TEXT + " Talks went on.")
    assert moved()
    store.delete_article(other)
    assert moved()
    assert Store(database_url).data_version() == seen[-1]  # another process reads the same number


def test_a_meeting_keeps_its_participants(database_url):
    store = Store(database_url)
    meeting = Milestone("meeting", "held", TEXT, 0, 5, ["Russia", "Ukraine"], "Istanbul", "2025-05-16",
                        participants=["Vladimir Putin", "Volodymyr Zelensky"])
    stored = store.save(article(), Extraction(id="x", milestones=[meeting], extractor_version="t")).article_id
    (back,) = store.extraction(stored).milestones
    assert (back.parties, back.participants) == (["Russia", "Ukraine"], ["Vladimir Putin", "Volodymyr Zelensky"])
    assert store.milestones()["participants"].tolist() == [["Vladimir Putin", "Volodymyr Zelensky"]]


def test_an_undated_article_shows_under_the_day_it_was_ingested(database_url):
    store = Store(database_url)
    dated = store.save(article(), extraction(TEXT)).article_id
    pasted = store.save(Article(text="Pasted without a date: envoys met in Geneva.", title="Pasted"), Extraction(id="p", extractor_version="t"))
    assert pasted.status == "stored"
    lo, hi = store.date_bounds()
    today = date.today()
    assert lo == date(2025, 5, 17) and hi >= today - timedelta(days=1)  # the ingest day widens the range
    view = Filters(date_from=lo, date_to=hi)
    listed = store.articles(view)
    assert set(listed["id"]) == {dated, pasted.article_id}
    undated = listed[listed["id"] == pasted.article_id].iloc[0]
    assert pd.isna(undated["published"]) and undated["day"] >= today - timedelta(days=1)
    assert store.summary(view)["undated"] == 1 and store.summary(view)["articles"] == 2
    assert store.summary(Filters(date_from=date(2025, 5, 1), date_to=date(2025, 5, 31)))["undated"] == 0
