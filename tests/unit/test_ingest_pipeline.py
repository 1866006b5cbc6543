"""The batch pipeline with a stand-in extractor (no model): streaming, resuming, bad input, feeds."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sa_text
from sqlalchemy.pool import NullPool

from components.ingest.items import Item
from components.models import Actor, Article, Extraction
from components.services.ingest import (
    IngestReport,
    Outcome,
    extract_stream,
    ingest_article,
    ingest_feed,
    ingest_items,
    ingest_paths,
    refresh_feeds,
)
from components.store import Store
from components.store.feeds import FeedList
from tests.fixtures.ingest.builders import FRENCH, STRIKE, docx_bytes, scanned_pdf, text_pdf, zip_bytes
from tests.fixtures.ingest.server import Handler, local_server
from tests.unit.test_ingest_dedupe import EDITED, WIRE


class StandIn:
    """Extractor-shaped: one actor per article; 'EXPLODE' raises; 'weather' finds nothing."""

    version = "stand-in"
    model = "none"

    def __init__(self, interrupt_after: int | None = None):
        self.calls = 0
        self.interrupt_after = interrupt_after

    def _one(self, article: Article) -> Extraction:
        self.calls += 1
        if self.interrupt_after is not None and self.calls > self.interrupt_after:
            raise KeyboardInterrupt
        if "EXPLODE" in article.text:
            raise ValueError("the rules tripped over this one")
        if "weather" in article.text:
            return Extraction(id=article.id)
        return Extraction(id=article.id, actors=[Actor("Ukraine", "country", "Ukraine", None, 1)], extractor_version="stand-in", model="none")

    def extract_article(self, article: Article) -> Extraction:
        return self._one(article)

    def pipe(self, articles, batch_size=32, n_process=1):
        for a in articles:
            yield a, self._one(a)


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa_text(sql))]
    finally:
        engine.dispose()


def text(n: int) -> str:
    return f"KYIV, Ukraine - Shelling killed {n} people in the city of Kharkiv on Monday, the governor said. Item {n}."


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Title: Good\n\n" + STRIKE)
    (d / "empty.txt").write_text("")
    (d / "blank.md").write_text("   \n\n")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (d / "latin1.txt").write_bytes("caf\u00e9 bombed".encode("latin-1"))
    (d / "french.txt").write_text(FRENCH)
    (d / "weather.txt").write_text("The weather was mild and the market was busy all week, traders said on Sunday afternoon.")
    (d / "statement.pdf").write_bytes(text_pdf([text(1)]))
    (d / "scan.pdf").write_bytes(scanned_pdf())
    (d / "brief.docx").write_bytes(docx_bytes([text(2)]))
    (d / "batch.csv").write_text("text,date\n" + f'"{text(3)}",2025-06-01\n' + ",2025-06-02\n" + f'"{text(4)}",someday\n' + f'"{WIRE}",2025-06-03\n')
    (d / "nocol.csv").write_text("title\nJust a title\n")
    (d / "wire.jsonl").write_text('{"text": "' + EDITED.replace('"', "'") + '", "source": "Northern Dispatch"}\n{oops\n')
    (d / "bundle.zip").write_bytes(zip_bytes({"a.txt": text(5).encode(), "../escape.txt": text(6).encode(), "bomb.txt": b"\0" * (4 * 2**20)}))
    (d / "broken.html").write_bytes(b"<html><body><div></p></div>")
    (d / "bomb.txt").write_text(text(7) + " EXPLODE")
    return d


def test_a_mixed_batch_goes_on_and_reports_every_input(folder, database_url):
    store = Store(database_url)
    report = ingest_paths([folder, folder / "missing.txt"], store, StandIn(), progress=False)
    by_source = {o.source.removeprefix(str(folder) + "/"): o for o in report.outcomes}
    stored = {s for s, o in by_source.items() if o.status == "stored"}
    assert stored == {"good.txt", "statement.pdf", "brief.docx", "batch.csv row 2", "batch.csv row 5", "wire.jsonl line 1", "bundle.zip!a.txt"}
    failed = {s: o.reason for s, o in by_source.items() if o.status == "failed"}
    assert set(failed) == {"empty.txt", "blank.md", "binary.txt", "latin1.txt", "scan.pdf", "batch.csv row 3", "batch.csv row 4",
                           "nocol.csv", "wire.jsonl line 2", "bundle.zip!../escape.txt", "bundle.zip!bomb.txt", "broken.html", "bomb.txt",
                           "missing.txt"}
    assert "no text layer (scanned PDF?)" in failed["scan.pdf"] and "missing the text column" in failed["nocol.csv"]
    assert "extraction failed: the rules tripped" in failed["bomb.txt"] and failed["missing.txt"] == "no such file"
    skipped = {s: o.reason for s, o in by_source.items() if o.status == "skipped"}
    assert skipped == {"french.txt": "language is French (fr); the extractor reads English",
                       "weather.txt": "no actors, places, casualties or milestones found in the text"}
    summary = report.summary()
    assert summary.startswith("7 stored, 0 duplicate, 2 skipped, 14 failed (1 of the stored joined the story of a near-duplicate)")
    assert f"failed: {folder}/batch.csv row 3: the text is empty" in summary
    # Stored: the 7 extracted and the French one (as skipped, with its language); nothing of the failures.
    assert sorted(rows(database_url, "select status, coalesce(language, '') from articles")) == [("extracted", "en")] * 7 + [("skipped", "fr")]
    # The wire story and its edited copy from another outlet are one story.
    wire = dict(rows(database_url, "select coalesce(source, path), story_id from articles where text like '%Kharkiv killed nine%' or text like '%KHARKIV (Northern%'"))
    assert len(wire) == 2 and len(set(wire.values())) == 1
    assert rows(database_url, "select count(*) from articles where story_id is null") == [(0,)]


def test_a_second_run_skips_everything_before_extraction(folder, database_url):
    store = Store(database_url)
    ingest_paths([folder], store, StandIn(), progress=False)
    again = StandIn()
    report = ingest_paths([folder], store, again, progress=False)
    assert report.count("stored") == 0 and report.count("duplicate") == 8
    assert again.calls == 2  # only the ones never stored: the weather report and the one that explodes


def test_an_interrupted_run_resumes_without_duplicates(database_url):
    store = Store(database_url)
    items = [Item(f"n{n}", Article(text=text(n))) for n in range(40)]
    report = IngestReport()
    with pytest.raises(KeyboardInterrupt):
        ingest_items(items, store, StandIn(interrupt_after=25), progress=False, batch_size=8, report=report)
    assert report.interrupted and "interrupted" in report.summary()
    assert report.stored == 25 and store.article_count() == 25
    resumed = ingest_items(items, store, StandIn(), progress=False, batch_size=8)
    assert (resumed.stored, resumed.count("duplicate")) == (15, 25)
    assert rows(database_url, "select count(distinct content_hash), count(*) from articles") == [(40, 40)]
    assert rows(database_url, "select count(*) from articles where story_id is null") == [(0,)]


def test_one_failing_article_does_not_take_its_batch_down():
    items = [Item(f"n{n}", Article(text=text(n) + (" EXPLODE" if n == 5 else ""))) for n in range(12)]
    results = list(extract_stream(items, StandIn(), batch_size=4))
    assert [i.source for i, _ in results] == [f"n{n}" for n in range(12)]
    assert [isinstance(r, Exception) for _, r in results] == [n == 5 for n in range(12)]


def test_several_processes_give_the_same_outcomes(database_url, tmp_path):
    items = [Item(f"n{n}", Article(text=text(n) + (" EXPLODE" if n == 7 else ""))) for n in range(30)]
    results = list(extract_stream(items, StandIn(), processes=2, batch_size=4))
    assert [i.source for i, _ in results] == [f"n{n}" for n in range(30)]
    assert [isinstance(r, Exception) for _, r in results] == [n == 7 for n in range(30)]
    report = ingest_items(items, Store(database_url), StandIn(), processes=2, batch_size=4, progress=False)
    assert (report.stored, report.count("failed")) == (29, 1)


def test_batches_stream_instead_of_reading_everything_first(database_url):
    pulled = 0

    def items():
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            yield Item(f"n{n}", Article(text=text(n)))

    first_outcome_at = []

    def on_progress(done, total, outcome):
        if not first_outcome_at:
            first_outcome_at.append(pulled)
        if done == 50:
            raise KeyboardInterrupt  # stop the endless stream

    with pytest.raises(KeyboardInterrupt):
        ingest_items(items(), Store(database_url), StandIn(), batch_size=8, progress=False, on_progress=on_progress)
    # Read ahead: a spaCy batch and what the writer thread holds (two batches), never the stream.
    assert first_outcome_at[0] <= 3 * 8 + 2 and pulled < 50 + 4 * 8


def test_a_storage_failure_leaves_nothing_half_stored(database_url, monkeypatch):
    store = Store(database_url)
    real = store._write_items

    def flaky(session, row, extraction):
        real(session, row, extraction)
        if "CORRUPT" in row.text:
            raise RuntimeError("disk said no")

    monkeypatch.setattr(store, "_write_items", flaky)
    items = [Item("a", Article(text=text(1))), Item("b", Article(text=text(2) + " CORRUPT")), Item("c", Article(text=text(3)))]
    report = ingest_items(items, store, StandIn(), progress=False)
    assert [(o.source, o.status) for o in report.outcomes] == [("a", "stored"), ("b", "failed"), ("c", "stored")]
    assert "could not store it (RuntimeError: disk said no)" in report.outcomes[1].reason
    assert rows(database_url, "select count(*) from articles where text like '%CORRUPT%'") == [(0,)]
    assert rows(database_url, "select count(*) from article_actors") == [(2,)]


def test_duplicates_inside_one_batch_are_extracted_once(database_url):
    extractor = StandIn()
    items = [Item("a", Article(text=text(1))), Item("b", Article(text=text(1).replace(" ", "  ")))]
    report = ingest_items(items, Store(database_url), extractor, progress=False)
    assert {o.source: o.status for o in report.outcomes} == {"a": "stored", "b": "duplicate"} and extractor.calls == 1


def test_a_single_article_in_french_is_stored_as_skipped(database_url):
    store = Store(database_url)
    outcome = ingest_article(Article(text=FRENCH, title="Genève"), "pasted text", store, StandIn())
    assert (outcome.status, outcome.language) == ("skipped", "fr")
    assert outcome.reason == "language is French (fr); the extractor reads English"
    assert rows(database_url, "select status, status_reason, language from articles") == [("skipped", outcome.reason, "fr")]
    assert ingest_article(Article(text=FRENCH), "again", store, StandIn()).status == "duplicate"


def test_progress_bar_shows_rate_and_eta(tmp_path, database_url, capsys):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(text(n))
    ingest_paths([tmp_path], Store(database_url), StandIn(), progress=True)
    err = capsys.readouterr().err
    assert "ingest" in err and "3/3" in err and "article/s" in err and "<00:00" in err


def test_summary_groups_many_problems_by_reason():
    report = IngestReport()
    for n in range(40):
        report.add(Outcome(f"f{n}.txt", "failed", "the file is empty"))
    report.add(Outcome("x.txt", "skipped", "language is French (fr); the extractor reads English"))
    lines = report.summary().splitlines()
    assert lines[0] == "0 stored, 0 duplicate, 1 skipped, 40 failed"
    assert "  failed (40): the file is empty: f0.txt, f1.txt, f2.txt and 37 more" in lines
    assert report.reasons()["failed: the file is empty"] == 40


def test_only_the_latest_extraction_is_kept():
    report = IngestReport()
    for n in range(3):
        report.add(Outcome(str(n), "stored", extraction=Extraction(id=str(n))))
    assert [o.extraction is not None for o in report.outcomes] == [False, False, True]


# -- feeds -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base():
    with local_server() as url:
        yield url


def test_a_feed_is_ingested_saved_and_refreshed_for_new_entries_only(base, database_url):
    store = Store(database_url)
    report = ingest_feed(f"{base}/feed.xml", store, StandIn(), progress=False)
    statuses = {o.source.removeprefix(base): o.status for o in report.outcomes}
    assert statuses == {"/news/port-strike.html": "stored", "/gone.html": "stored", "/also-gone.html": "failed"}
    [saved] = FeedList(store).all()
    assert (saved.url, saved.title, saved.entries_seen, saved.last_error) == (f"{base}/feed.xml", "Harbour Desk", 2, None)
    assert rows(database_url, "select url, source from articles order by id") == [
        (f"{base}/news/port-strike.html", "Harbour Desk"), (f"{base}/gone.html", "Harbour Desk")]
    # A refresh takes only entries not taken before: the failed one is tried again, nothing else.
    again = refresh_feeds(store, StandIn(), progress=False)
    assert [(o.source.removeprefix(base), o.status) for o in again.outcomes] == [("/also-gone.html", "failed")]


def test_refresh_takes_entries_that_appeared_since(base, database_url):
    store = Store(database_url)
    Handler.hits.pop("/growing.xml", None)
    first = ingest_feed(f"{base}/growing.xml", store, StandIn(), progress=False)
    assert [o.status for o in first.outcomes] == ["stored"]
    second = refresh_feeds(store, StandIn(), progress=False)
    assert [(o.source.removeprefix(base), o.status) for o in second.outcomes] == [("/news/grain-talks.html", "stored")]
    third = refresh_feeds(store, StandIn(), progress=False)
    assert [(o.source.removeprefix(base), o.status) for o in third.outcomes] == [("/news/late.html", "stored")]
    assert store.article_count() == 3


def test_a_feed_that_is_not_a_feed_fails_with_the_reason_and_is_not_saved(base, database_url):
    store = Store(database_url)
    report = ingest_feed(f"{base}/not-a-feed", store, StandIn(), progress=False)
    [outcome] = report.outcomes
    assert (outcome.source, outcome.status) == (f"{base}/not-a-feed", "failed")
    assert "not an RSS or Atom feed (it is an HTML page)" in outcome.reason
    assert FeedList(store).all() == []


def test_a_saved_feed_that_breaks_records_the_error(base, database_url):
    store = Store(database_url)
    feeds = FeedList(store)
    feeds.add(f"{base}/missing-feed.xml")
    report = refresh_feeds(store, StandIn(), progress=False)
    assert "404" in report.outcomes[0].reason
    assert "404" in feeds.all()[0].last_error
    assert feeds.remove(f"{base}/missing-feed.xml") and feeds.all() == []
