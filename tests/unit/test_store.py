from datetime import date

import pytest

from components.models import Actor, Article, Casualty, Extraction, Milestone, Place, Quote
from components.store import Filters, Store


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


def test_save_and_read_back(sqlite_url):
    store = Store(sqlite_url)
    result = store.save(article(), extraction(TEXT))
    assert result.status == "stored"
    back = store.extraction(result.article_id)
    assert back.totals == {"killed": 9}
    assert back.actors[0].spans == [(0, 5)]
    assert back.milestones[0].parties == ["Russia", "Ukraine"]
    assert store.casualty_totals() == {"killed": 9}
    actors = store.actors()
    assert set(actors["name"]) == {"Vladimir Putin", "Russia"}


def test_same_text_twice_is_stored_once(sqlite_url):
    store = Store(sqlite_url)
    first = store.save(article(), extraction(TEXT))
    second = store.save(article(title="Another title"), extraction(TEXT))
    assert (first.status, second.status) == ("stored", "duplicate")
    assert second.article_id == first.article_id
    assert store.article_count() == 1


def test_whitespace_differences_are_the_same_article(sqlite_url):
    store = Store(sqlite_url)
    store.save(article(), extraction(TEXT))
    assert store.save(article(TEXT.replace(" ", "  ")), extraction(TEXT)).status == "duplicate"


def test_a_failure_mid_write_leaves_nothing(sqlite_url, monkeypatch):
    store = Store(sqlite_url)
    store.save(article(), extraction(TEXT))
    other = "A different story about talks in Geneva with nine delegates."

    def boom(*_args, **_kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_place", boom)
    with pytest.raises(RuntimeError):
        store.save(article(other), extraction(TEXT))
    monkeypatch.undo()
    assert store.article_count() == 1
    assert len(store.casualties()) == 2  # only the first article's rows
    assert not store.has_article(other)


def test_filters(sqlite_url):
    store = Store(sqlite_url)
    store.save(article(), extraction(TEXT))
    assert len(store.articles(Filters(date_from=date(2025, 5, 18)))) == 0
    assert len(store.articles(Filters(actors=("Vladimir Putin",)))) == 1
    assert len(store.articles(Filters(countries=("France",)))) == 0
    assert len(store.articles(Filters(sources=("Wire",)))) == 1
    assert len(store.milestones(Filters(statuses=("agreed",)))) == 0
    assert store.casualty_totals(Filters(casualty_kinds=("wounded",))) == {}


def test_counted_only_excludes_repeats(sqlite_url):
    store = Store(sqlite_url)
    store.save(article(), extraction(TEXT))
    assert len(store.casualties(counted_only=True)) == 1
