"""The load-test filler: plausible records, the right counts, and bulk writing equal to Store.save."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from components.store import Store
from components.tools import loadtest
from tests.conftest import PROJECT_ROOT

N = 200


def expected_counts(n: int, seed: int) -> Counter:
    counts: Counter = Counter()
    for _, ex in loadtest.synthetic_articles(n, seed=seed):
        counts["articles"] += 1
        counts["casualties"] += len(ex.casualties)
        counts["milestones"] += len(ex.milestones)
        counts["figures"] += len(ex.figures)
        counts["quotes"] += len(ex.quotes)
        counts["article_actors"] += len({a.canonical or a.name for a in ex.actors})
        counts["article_places"] += len(ex.places)
    return counts


def table_counts(path) -> Counter:
    with sqlite3.connect(path) as db:
        return Counter({t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                        for t in ("articles", "casualties", "milestones", "figures", "quotes", "article_actors", "article_places")})


def snapshot(path) -> dict[str, list]:
    queries = {
        "incidents": "SELECT id, location, country, lat, lon, date, last_date FROM incidents ORDER BY id",
        "tracks": "SELECT id, kind, parties, parties_key, first_date, last_date FROM tracks ORDER BY id",
        "casualty links": "SELECT id, article_id, kind, count, incident_id FROM casualties ORDER BY id",
        "milestone links": "SELECT id, article_id, kind, status, track_id FROM milestones ORDER BY id",
        "actors": "SELECT id, name, kind, country FROM actors ORDER BY id",
        "places": "SELECT id, name, country, lat, lon FROM places ORDER BY id",
        "articles": "SELECT id, content_hash, title, published, source, text FROM articles ORDER BY id",
    }
    with sqlite3.connect(path) as db:
        return {name: db.execute(q).fetchall() for name, q in queries.items()}


def test_records_are_plausible_and_their_evidence_is_in_the_text():
    items = list(loadtest.synthetic_articles(N, seed=3))
    assert len({a.id for a, _ in items}) == N  # every text distinct
    published = [a.published for a, _ in items]
    assert published == sorted(published) and (published[-1] - published[0]).days > 365
    for article, ex in items:
        for c in ex.casualties:
            assert article.text[c.start:c.end] == str(c.count) and c.sentence in article.text
        for m in ex.milestones:
            assert article.text[m.start:m.end] == m.sentence and len(m.parties) >= 2
        for a in ex.actors:
            assert all(article.text[s:e] == a.name for s, e in a.spans)
        for q in ex.quotes:
            assert article.text[q.start:q.end] == q.text
        for p in ex.places:
            assert p.lat is not None and p.lon is not None
    assert len(loadtest.actor_roster()) == 300 and len(loadtest.PLACES) == 50
    assert sum(1 for _, ex in items if ex.casualties) > N / 2 and sum(1 for _, ex in items if ex.milestones) > N / 4


@pytest.mark.parametrize("mode", ["save", "bulk"])
def test_fill_stores_the_right_counts(tmp_path, mode):
    path = tmp_path / f"{mode}.db"
    report = loadtest.fill(f"sqlite:///{path}", N, seed=5, mode=mode, batch_size=64)
    assert (report.stored, report.duplicate, report.mode) == (N, 0, mode)
    expected = expected_counts(N, seed=5)
    assert table_counts(path) == Counter({"articles": N, **{k: v for k, v in expected.items() if k != "articles"}})
    with sqlite3.connect(path) as db:
        incidents = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
        tracks = db.execute("SELECT count(*) FROM tracks").fetchone()[0]
        unlinked = db.execute("SELECT count(*) FROM casualties WHERE counted AND incident_id IS NULL").fetchone()[0]
        untracked = db.execute("SELECT count(*) FROM milestones WHERE track_id IS NULL").fetchone()[0]
    assert unlinked == 0 and untracked == 0
    events = sum(1 for _, ex in loadtest.synthetic_articles(N, seed=5) if ex.casualties)
    assert 0 < incidents < events  # several articles report one incident
    assert 0 < tracks < expected["milestones"]
    assert report.rows == sum(expected.values()) + incidents + tracks
    assert report.rows_per_second > 0
    store = Store(f"sqlite:///{path}")
    assert store.article_count() == N and sum(store.casualty_totals().values()) > 0
    store.engine.dispose()


def test_bulk_writes_what_save_writes(tmp_path):
    saved, bulk = tmp_path / "save.db", tmp_path / "bulk.db"
    loadtest.fill(f"sqlite:///{saved}", N, seed=9, mode="save")
    loadtest.fill(f"sqlite:///{bulk}", N, seed=9, mode="bulk", batch_size=37)
    assert snapshot(bulk) == snapshot(saved)


def test_a_second_fill_stores_nothing_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    loadtest.fill(url, 50, seed=1, mode="bulk")
    again = loadtest.fill(url, 50, seed=1, mode="bulk")
    assert (again.stored, again.duplicate) == (0, 50)
    assert table_counts(tmp_path / "twice.db")["articles"] == 50


def test_bulk_refuses_a_database_with_corrections(tmp_path, monkeypatch):
    monkeypatch.setattr(loadtest, "has_corrections", lambda store: True)
    url = f"sqlite:///{tmp_path / 'corrected.db'}"
    with pytest.raises(ValueError, match="corrections"):
        loadtest.fill(url, 10, mode="bulk")
    monkeypatch.setattr(loadtest, "SAVE_LIMIT", 0)  # auto would take the bulk path, but corrections need save
    assert loadtest.fill(url, 5, mode="auto").mode == "save"


def test_cli_prints_rows_per_second(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run([sys.executable, "-m", "components", "loadtest", "--articles", "40", "--database", url, "--no-progress"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "40 articles stored" in done.stdout and "rows/s" in done.stdout
