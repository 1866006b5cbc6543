"""`python -m components worker`: extraction off the request path.

The app (and anyone with the ingest right) queues pasted texts and uploads in the `jobs`
table (store/jobs.py); workers take them one at a time and run the usual ingest
(`ingest_article`, `ingest_items` over `iter_bytes`), recording the job's creator as the
articles' `ingested_by`. Every `interval` seconds a worker also queues a refresh of the
saved feeds, unless one is already queued or running, so several workers do not all
re-read the same feeds. Several workers, on one machine or several, share one queue
safely: a job is claimed by exactly one of them (see JobQueue.claim).

While a job runs, a background thread beats for it every fifth of the stale time
(`WORKER_STALE_AFTER_S`, default 300 s); a worker killed mid-job stops beating, and once
it has been silent for the stale time the next worker looking for a job queues it again
(`requeue_stale` runs before every claim, so within the stale time plus one `poll`).

Uploads are processed from the bytes in the database: nothing is written to disk, and the
original file name only labels the articles and picks the reader by its suffix.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ..store import Store
from ..store.accounts import utcnow
from ..store.jobs import Job, JobQueue, stale_after_setting
from .worker_defaults import DEFAULT_INTERVAL, DEFAULT_POLL

log = logging.getLogger(__name__)

BEATS_PER_STALE_TIME = 5  # a worker beats this often within the stale time, so one late beat is no death
MAX_PROBLEMS = 20  # per job, the failed or skipped inputs kept in its result


class JobFailed(Exception):
    """The job ran but nothing in it could be ingested; the message says why."""


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Heartbeat:
    """While a job runs (`with Heartbeat(...)`), a thread tells the queue every `every` seconds
    that this worker is alive; it stops, and is joined, when the job ends."""

    def __init__(self, queue: JobQueue, job_id: int, worker_id: str, every: float):
        self.queue, self.job_id, self.worker_id, self.every = queue, job_id, worker_id, every
        self.beats = 0
        self.lost = False  # the job was taken from this worker (cancelled, or requeued after a silence)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-job-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                if self.queue.heartbeat(self.job_id, self.worker_id):
                    self.beats += 1
                elif not self.lost:
                    self.lost = True
                    log.warning("job #%d is no longer this worker's (cancelled, or queued again after a silence)", self.job_id)
            except SQLAlchemyError:  # one missed beat is no death: the stale time allows several
                log.warning("job #%d: heartbeat not recorded (database error); trying again in %g s", self.job_id, self.every)


class Worker:
    """Takes jobs from the queue until told to stop (`stop()`, Ctrl-C, or `run(once=True)`)."""

    def __init__(self, store: Store, extractor: Any = None, *, worker_id: str | None = None, interval: float = DEFAULT_INTERVAL,
                 poll: float = DEFAULT_POLL, extractor_factory: Callable[[], Any] | None = None, stale_after: timedelta | None = None):
        self.store = store
        self.stale_after = stale_after if stale_after is not None else stale_after_setting()
        self.queue = JobQueue(store, stale_after=self.stale_after)
        self.worker_id = worker_id or default_worker_id()
        self.interval = interval
        self.poll = poll
        self._extractor = extractor
        self._extractor_factory = extractor_factory
        self._stop = threading.Event()
        self.processed = 0
        self.failed = 0

    @property
    def extractor(self) -> Any:
        """The spaCy extractor, loaded on the first job that needs it."""
        if self._extractor is None:
            if self._extractor_factory is not None:
                self._extractor = self._extractor_factory()
            else:
                from ..extract import Extractor

                self._extractor = Extractor()
        return self._extractor

    def stop(self) -> None:
        self._stop.set()

    # -- the loop -------------------------------------------------------------------------------
    def run(self, once: bool = False) -> int:
        """Work until stopped; with `once`, queue a feed refresh, empty the queue, and return.

        Returns how many jobs this worker processed.
        """
        log.info("worker %s started", self.worker_id)
        try:
            while not self._stop.is_set():
                try:
                    self.schedule_refresh(force=once)
                    self.drain()
                except SQLAlchemyError:
                    if once:
                        raise
                    # The database is unreachable for a moment (a restart, a network blip): try again.
                    log.exception("worker %s: database error; trying again in %g s", self.worker_id, self.poll)
                if once:
                    break
                self._stop.wait(self.poll)
        finally:
            log.info("worker %s stopped after %d jobs (%d failed)", self.worker_id, self.processed, self.failed)
        return self.processed

    def drain(self) -> int:
        """Process queued jobs until the queue is empty (or stop() is called)."""
        done = 0
        while not self._stop.is_set() and self.run_one():
            done += 1
        return done

    def schedule_refresh(self, force: bool = False) -> int | None:
        """Queue a refresh of the saved feeds when one is due and none is waiting; its job id."""
        from ..store.feeds import FeedList

        if self.queue.pending("refresh_feeds"):
            return None
        last = self.queue.last_created("refresh_feeds")
        if not force and last is not None and utcnow() - last < timedelta(seconds=self.interval):
            return None
        if not FeedList(self.store).all():
            return None
        return self.queue.enqueue_refresh(user=f"worker {self.worker_id}")

    def run_one(self) -> bool:
        """Claim and process one job (stuck ones first queued again); False when the queue was empty."""
        self.queue.requeue_stale()
        job = self.queue.claim(self.worker_id)
        if job is None:
            return False
        log.info("job #%d (%s) started", job.id, job.kind)
        with Heartbeat(self.queue, job.id, self.worker_id, self.stale_after.total_seconds() / BEATS_PER_STALE_TIME):
            self._process(job)
        self.processed += 1
        return True

    def _process(self, job: Job) -> None:
        """Run the job and record how it ended (unless it was taken from this worker meanwhile)."""
        try:
            result = self.handle(job)
        except KeyboardInterrupt:
            self.queue.release(job.id, worker_id=self.worker_id)  # another worker (or the next run) takes it again
            raise
        except Exception as exc:  # noqa: BLE001 - one bad job must not stop the worker
            if not isinstance(exc, JobFailed):
                log.exception("job #%d (%s) failed", job.id, job.kind)
            recorded = self.queue.fail(job.id, f"{exc}" if isinstance(exc, JobFailed) else f"{type(exc).__name__}: {exc}",
                                       result=getattr(exc, "result", None), worker_id=self.worker_id)
            self.failed += 1
        else:
            recorded = self.queue.finish(job.id, result, worker_id=self.worker_id)
            log.info("job #%d (%s) done: %s", job.id, job.kind, result)
        if not recorded:
            log.warning("job #%d was taken from this worker while it ran (cancelled, or queued again): its outcome is not recorded",
                        job.id)

    # -- the jobs -------------------------------------------------------------------------------
    def handle(self, job: Job) -> dict[str, Any]:
        if job.kind == "ingest_text":
            return self._ingest_text(job)
        if job.kind == "ingest_file":
            return self._ingest_file(job)
        if job.kind == "refresh_feeds":
            return self._refresh_feeds(job)
        raise ValueError(f"unknown job kind {job.kind!r}")

    def _ingest_text(self, job: Job) -> dict[str, Any]:
        from ..ingest.readers import IngestError, article_from_text
        from .ingest import IngestReport, ingest_article

        p = job.payload
        name = p.get("name") or "pasted text"
        try:
            article = article_from_text(p.get("text") or "", name, title=p.get("title") or None,
                                        published=_day(p.get("published")), source=p.get("source") or None)
        except IngestError as exc:
            raise JobFailed(str(exc)) from None
        outcome = ingest_article(article, name, self.store, self.extractor, user=job.created_by)
        return _result(IngestReport([outcome]))

    def _ingest_file(self, job: Job) -> dict[str, Any]:
        from ..ingest.sources import iter_bytes
        from .ingest import ingest_items

        name = str(job.payload.get("name") or "upload")
        published = _day(job.payload.get("published"))
        items = _with_default_date(iter_bytes(job.data or b"", name), published)
        report = ingest_items(items, self.store, self.extractor, progress=False, user=job.created_by, desc=f"job {job.id}")
        return _result(report)

    def _refresh_feeds(self, job: Job) -> dict[str, Any]:
        from .ingest import refresh_feeds

        return _result(refresh_feeds(self.store, self.extractor, progress=False, user=job.created_by))


def _day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _with_default_date(items: Iterator[Any], published: date | None) -> Iterator[Any]:
    for item in items:
        if published and item.article is not None and item.article.published is None:
            item.article.published = published
        yield item


def _result(report: Any) -> dict[str, Any]:
    """The job's counts and problems; JobFailed when inputs were given and none could be taken."""
    result: dict[str, Any] = {k: report.count(k) for k in ("stored", "duplicate", "skipped", "failed")}
    problems = [{"input": o.source, "status": o.status, "reason": o.reason} for o in report.outcomes if o.status in {"skipped", "failed"}]
    result["problems"] = problems[:MAX_PROBLEMS]
    taken = result["stored"] + result["duplicate"] + result["skipped"]
    if result["failed"] and not taken:
        error = JobFailed("; ".join(f"{p['input']}: {p['reason']}" for p in problems[:3]) + (" …" if len(problems) > 3 else ""))
        error.result = result  # type: ignore[attr-defined]
        raise error
    return result


def main(store: Store, *, once: bool = False, interval: float = DEFAULT_INTERVAL, poll: float = DEFAULT_POLL,
         extractor_factory: Callable[[], Any] | None = None) -> int:
    """The command: run a worker until Ctrl-C or SIGTERM (which let the current job finish)."""
    import signal

    worker = Worker(store, interval=interval, poll=poll, extractor_factory=extractor_factory)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    try:
        worker.run(once=once)
    except KeyboardInterrupt:
        worker.stop()
        print(f"worker stopped after {worker.processed} jobs")
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print(f"worker {worker.worker_id}: {worker.processed} jobs processed, {worker.failed} failed")
    return 0 if not (once and worker.failed) else 1
