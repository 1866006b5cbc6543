"""The job queue and the background worker: one job, one worker; failures recorded; uploads never touch the disk."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from components.roles import Principal
from components.services.worker import Worker
from components.store import Store
from components.store.accounts import utcnow
from components.store.feeds import FeedList
from components.store.jobs import JobQueue, candidate
from components.store.schema import ArticleRow, JobRow

ARTICLE = ("Title: Drone strike on Odesa port\nPublished: 2025-06-04\nSource: Harbour Desk\n\n"
           "ODESA, Ukraine — A Russian drone strike on the port of Odesa killed four people and wounded nine on Tuesday, "
           "the regional governor said.\n")


class Recording(Worker):
    """A worker whose jobs only record who ran them (no extraction)."""

    def __init__(self, *args, seen: list, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.seen = seen

    def handle(self, job):  # type: ignore[no-untyped-def]
        self.seen.append((job.id, self.worker_id))
        time.sleep(0.002)
        if job.payload.get("title") == "boom":
            raise RuntimeError("the extractor fell over")
        return {"stored": 1}


class NoExtraction:
    """An extractor that fails the test if any article reaches it."""

    def pipe(self, articles, batch_size=32, n_process=1):  # type: ignore[no-untyped-def]
        for article in articles:
            pytest.fail(f"nothing should have been extracted, got {article.title!r}")
        yield from ()


def statuses(url: str) -> dict[int, tuple[str, int, str | None]]:
    with Store(url).session() as s:
        return {r.id: (r.status, r.attempts, r.worker_id) for r in s.scalars(select(JobRow))}


def test_two_workers_in_threads_never_take_the_same_job(sqlite_url):
    queue = JobQueue(Store(sqlite_url))
    ids = [queue.enqueue_text(f"text {n}", title=f"#{n}") for n in range(60)]
    seen: list = []
    # Each worker with its own Store (its own engine and connections), as separate processes have.
    workers = [Recording(Store(sqlite_url), worker_id=f"w{n}", seen=seen) for n in range(2)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    taken = [job_id for job_id, _ in seen]
    assert sorted(taken) == ids  # every job once, none twice
    final = statuses(sqlite_url)
    assert {status for status, _, _ in final.values()} == {"done"}
    assert {attempts for _, attempts, _ in final.values()} == {1}
    assert {w for _, _, w in final.values()} <= {"w0", "w1"}


def _worker_process(url: str, name: str, out: str) -> None:
    seen: list = []
    Recording(Store(url), worker_id=name, seen=seen).drain()
    Path(out).write_text("\n".join(str(job_id) for job_id, _ in seen))


def test_two_worker_processes_never_take_the_same_job(sqlite_url, tmp_path):
    queue = JobQueue(Store(sqlite_url))
    ids = [queue.enqueue_text(f"text {n}") for n in range(40)]
    context = multiprocessing.get_context("fork")
    outs = [tmp_path / f"p{n}.txt" for n in range(2)]
    procs = [context.Process(target=_worker_process, args=(sqlite_url, f"p{n}", str(out))) for n, out in enumerate(outs)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    taken = [int(x) for out in outs for x in out.read_text().split()]
    assert sorted(taken) == ids
    assert {status for status, _, _ in statuses(sqlite_url).values()} == {"done"}


def test_the_claim_skips_locked_rows_on_postgresql():
    on_postgres = str(candidate(True).compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE SKIP LOCKED" in on_postgres
    assert "FOR UPDATE" not in str(candidate(False).compile(dialect=sqlite.dialect()))


def test_a_job_taken_meanwhile_is_not_taken_again(sqlite_url):
    store = Store(sqlite_url)
    queue = JobQueue(store)
    first, second = queue.enqueue_text("one"), queue.enqueue_text("two")
    with store.session() as s:  # another worker won the first between our select and our update
        s.execute(update(JobRow).where(JobRow.id == first).values(status="running", worker_id="other"))
    job = queue.claim("me")
    assert job is not None and job.id == second
    assert queue.claim("me") is None
    assert statuses(sqlite_url)[first] == ("running", 0, "other")


def test_a_failing_job_is_marked_failed_and_the_worker_goes_on(sqlite_url):
    queue = JobQueue(Store(sqlite_url))
    bad = queue.enqueue_text("x", title="boom")
    good = queue.enqueue_text("y", title="fine")
    seen: list = []
    worker = Recording(Store(sqlite_url), worker_id="w", seen=seen)
    assert worker.drain() == 2
    assert (worker.processed, worker.failed) == (2, 1)
    assert queue.status(bad)["status"] == "failed"
    assert queue.status(bad)["error"] == "RuntimeError: the extractor fell over"
    assert queue.status(good)["status"] == "done" and queue.status(good)["result"] == {"stored": 1}


def test_a_bad_pasted_text_fails_its_job_with_the_reason(sqlite_url):
    store = Store(sqlite_url)
    job = JobQueue(store).enqueue_text("   ")
    Worker(store, extractor_factory=lambda: pytest.fail("no extractor is needed to refuse an empty text")).run(once=True)
    status = JobQueue(store).status(job)
    assert status["status"] == "failed" and "the text is empty" in status["error"]


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*")
            if p.is_file() and ".db" not in p.name}


def test_an_upload_name_never_becomes_a_path(sqlite_url, tmp_path, monkeypatch):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    store = Store(sqlite_url)
    passwd = Path("/etc/passwd")
    before_passwd = (passwd.stat().st_mtime, passwd.read_bytes()) if passwd.exists() else None
    before = snapshot(tmp_path)
    queue = JobQueue(store.for_principal(Principal("ana", "analyst")))
    job = queue.enqueue_file("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n")
    with store.session() as s:
        row = s.get(JobRow, job)
        assert row.data.startswith(b"root:x") and row.payload["name"] == "../../etc/passwd" and row.created_by == "ana"
    Worker(store, NoExtraction()).run(once=True)
    status = queue.status(job)
    assert status["status"] == "failed"
    assert "../../etc/passwd: unsupported file type" in status["error"]
    assert snapshot(tmp_path) == before  # nothing written anywhere under the test's folder
    if before_passwd is not None:
        assert (passwd.stat().st_mtime, passwd.read_bytes()) == before_passwd


@pytest.mark.model
def test_a_traversal_name_is_only_a_label_for_the_stored_article(sqlite_url, tmp_path, monkeypatch, extractor):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    store = Store(sqlite_url)
    before = snapshot(tmp_path)
    job = JobQueue(store.for_principal(Principal("ana", "analyst"))).enqueue_file("../../../tmp/evil.txt", ARTICLE.encode())
    Worker(store, extractor).run(once=True)
    assert JobQueue(store).status(job)["status"] == "done"
    with store.session() as s:
        row = s.scalars(select(ArticleRow)).one()
        assert (row.path, row.ingested_by, row.title) == (None, "ana", "Drone strike on Odesa port")
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/evil.txt").exists() or Path("/tmp/evil.txt").read_bytes() != ARTICLE.encode()


@pytest.mark.model
def test_the_worker_ingests_queued_texts_and_files_as_their_creator(sqlite_url, extractor):
    store = Store(sqlite_url)
    queue = JobQueue(store.for_principal(Principal("ana", "analyst")))
    text_job = queue.enqueue_text(ARTICLE.split("\n\n", 1)[1], title="Odesa port", published=date(2025, 6, 4))
    rows = ("text,title\n"
            "\"KHARKIV, Ukraine — Shelling killed two civilians in Kharkiv on Monday, officials said.\",Kharkiv shelled\n"
            ",empty row\n")
    file_job = queue.enqueue_file("batch.csv", rows.encode(), published=date(2025, 6, 5))
    again = queue.enqueue_text(ARTICLE.split("\n\n", 1)[1])
    worker = Worker(store, extractor)
    assert worker.run(once=True) == 3
    assert queue.status(text_job)["result"]["stored"] == 1
    result = queue.status(file_job)["result"]
    assert (result["stored"], result["failed"], queue.status(file_job)["status"]) == (1, 1, "done")
    assert "row 3" in result["problems"][0]["input"]
    assert queue.status(again)["result"]["duplicate"] == 1
    with store.session() as s:
        articles = s.scalars(select(ArticleRow).order_by(ArticleRow.id)).all()
        assert [(a.title, a.ingested_by, a.published) for a in articles] == [
            ("Odesa port", "ana", date(2025, 6, 4)), ("Kharkiv shelled", "ana", date(2025, 6, 5))]
    recent = queue.recent("ana")
    assert list(recent["status"]) == ["done", "done", "done"] and "1 stored" in recent["outcome"].iloc[-1]


def test_feed_refreshes_are_queued_on_a_schedule_once(sqlite_url):
    store = Store(sqlite_url)
    worker = Worker(store, interval=300)
    assert worker.schedule_refresh() is None  # no saved feeds
    FeedList(store).add("http://127.0.0.1:9/feed.xml", "Test feed")
    first = worker.schedule_refresh()
    assert first is not None
    assert worker.schedule_refresh(force=True) is None  # one is already waiting
    queue = JobQueue(store)
    assert queue.claim("w1").id == first and queue.finish(first, worker_id="w1")
    assert worker.schedule_refresh() is None  # not due yet
    with store.session() as s:
        s.execute(update(JobRow).values(created_at=utcnow() - timedelta(seconds=301)))
    assert worker.schedule_refresh() is not None


def test_jobs_left_running_by_a_dead_worker_are_queued_again(sqlite_url):
    store = Store(sqlite_url)
    queue = JobQueue(store)
    job = queue.enqueue_text("text")
    assert queue.claim("dead worker") is not None
    assert queue.requeue_stale(timedelta(hours=1)) == 0
    with store.session() as s:
        s.execute(update(JobRow).values(started_at=utcnow() - timedelta(hours=2)))
    assert queue.requeue_stale(timedelta(hours=1)) == 1
    assert queue.status(job)["status"] == "queued"
    claimed = queue.claim("new worker")
    assert claimed is not None and claimed.attempts == 2


def test_the_worker_command_once(sqlite_url, capsys):
    from components.cli import main

    JobQueue(Store(sqlite_url)).enqueue_text("")
    assert main(["worker", "--once", "--database", sqlite_url]) == 1  # the one job failed
    assert "1 jobs processed, 1 failed" in capsys.readouterr().out
    assert main(["worker", "--once", "--database", sqlite_url]) == 0  # nothing left to do


def test_the_worker_stops_when_asked(sqlite_url):
    worker = Worker(Store(sqlite_url), poll=0.05)
    thread = threading.Thread(target=worker.run)
    thread.start()
    time.sleep(0.2)
    worker.stop()
    thread.join(5)
    assert not thread.is_alive()


def test_uploads_are_kept_in_the_database_not_on_disk(sqlite_url, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    queue = JobQueue(Store(sqlite_url))
    job = queue.enqueue_file("report.txt", ARTICLE.encode())
    assert os.listdir(work) == []
    claimed = queue.claim("w")
    assert claimed is not None and claimed.id == job and claimed.data == ARTICLE.encode()


def test_only_a_worker_closes_its_own_running_job_and_viewers_touch_no_job(sqlite_url):
    from components.roles import PermissionDenied, Principal

    store = Store(sqlite_url)
    queue = JobQueue(store)
    job_id = queue.enqueue_text("Envoys met in Geneva on Monday.", title="t")
    assert not queue.finish(job_id, worker_id="w1")  # not running: nothing to finish
    assert queue.claim("w1").id == job_id
    assert not queue.finish(job_id, worker_id="w2") and not queue.fail(job_id, "x", worker_id="w2")  # not w2's job
    assert not queue.release(job_id, worker_id="w2")
    assert queue.status(job_id)["status"] == "running"
    viewer = JobQueue(store.for_principal(Principal("val", "viewer")))
    for write in (lambda: viewer.finish(job_id), lambda: viewer.fail(job_id, "x"), lambda: viewer.release(job_id),
                  lambda: viewer.requeue_stale(timedelta(seconds=0))):
        with pytest.raises(PermissionDenied):
            write()
    assert queue.finish(job_id, {"stored": 1}, worker_id="w1")
    assert queue.status(job_id)["status"] == "done"
