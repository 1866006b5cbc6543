"""Concurrent writers and readers, on SQLite and PostgreSQL.

Two processes store the same 500 synthetic articles in different orders: every article
is stored exactly once, with every item, and the actors and places they share exist once.
A reader is not blocked by a writer's long transaction (WAL on SQLite, MVCC on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from sqlalchemy import func, select, text

from components.store import Store
from components.store.schema import (
    ActorRow,
    ArticleActorRow,
    ArticlePlaceRow,
    ArticleRow,
    CasualtyRow,
    MilestoneRow,
    PlaceRow,
)
from tests.conftest import PROJECT_ROOT
from tests.fixtures.concurrent_writer import ACTORS, PLACES, N, synthetic


def test_two_writers_on_overlapping_batches_store_every_article_once(database_url, tmp_path):
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    writers = [
        subprocess.Popen([sys.executable, "-m", "tests.fixtures.concurrent_writer", database_url, str(seed), str(go)],
                         cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in (0, 7)  # as listed, and shuffled: every article written by both
    ]
    go.touch()
    results = []
    for w in writers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r.get("stored", 0) for r in results) == N
    assert sum(r.get("duplicate", 0) for r in results) == N
    assert all(r.get("stored", 0) > 0 for r in results), results  # both really wrote

    expected = synthetic()
    store = Store(database_url)
    assert store.article_count() == N
    with store.session() as s:
        hashes = set(s.scalars(select(ArticleRow.content_hash)))
        assert hashes == {a.id for a, _ in expected}
        assert s.scalar(select(func.count(CasualtyRow.id))) == 2 * N
        assert s.scalar(select(func.count(MilestoneRow.id))) == N
        assert s.scalar(select(func.count(ArticleActorRow.id))) == sum(len(e.actors) for _, e in expected)
        assert s.scalar(select(func.count(ArticlePlaceRow.id))) == N
        assert sorted(s.scalars(select(ActorRow.name))) == sorted(ACTORS)
        # Places without a country are not covered by the unique key (NULLs differ): the writers' locks keep them single.
        assert sorted((p.name, p.country) for p in s.scalars(select(PlaceRow))) == sorted(PLACES, key=lambda p: p)
        per_article = dict(s.execute(select(CasualtyRow.article_id, func.count(CasualtyRow.id)).group_by(CasualtyRow.article_id)).all())
        assert set(per_article.values()) == {2} and len(per_article) == N
        unlinked = s.scalar(select(func.count(CasualtyRow.id)).where(CasualtyRow.incident_id.is_(None)))
        assert unlinked == 0
    totals = store.casualty_totals()
    assert set(totals) == {"killed", "wounded"} and totals["killed"] > 0


def test_a_reader_reads_while_a_writer_holds_a_long_transaction(database_url):
    store = Store(database_url)
    article, extraction = synthetic(2)[0]
    store.save(article, extraction)
    writing, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with store.engine.connect() as conn:
            conn.execute(text("UPDATE articles SET title = 'being rewritten'"))
            conn.execute(text("INSERT INTO actors (name, kind) VALUES ('Held Actor', 'person')"))
            writing.set()
            release.wait(30)
            conn.commit()

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(10)
        reader = Store(database_url)
        done = threading.Event()
        seen: dict[str, object] = {}

        def read() -> None:
            seen["count"] = reader.article_count()
            seen["titles"] = reader.articles()["title"].tolist()
            seen["actors"] = sorted(reader.actors()["name"])
            done.set()

        threading.Thread(target=read, daemon=True).start()
        assert done.wait(5), "the reader was blocked by the writer's open transaction"
        assert seen["count"] == 1 and seen["titles"] == ["Article 0"]  # the committed state, not the writer's
        assert "Held Actor" not in seen["actors"]
    finally:
        release.set()
        writer.join(30)
    assert store.articles()["title"].tolist() == ["being rewritten"]
