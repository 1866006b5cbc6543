"""The queue of background work: pasted texts, uploads and feed refreshes for `worker`.

A job is claimed by exactly one worker: on PostgreSQL the candidate row is selected
`FOR UPDATE SKIP LOCKED` (workers skip each other's rows instead of waiting), and on
every database the claim itself is a conditional UPDATE (`status='queued' -> 'running'`
where the row is still queued) whose row count says whether this worker won it. Uploaded
bytes are kept in the row; the file's original name is metadata only.

A running job's worker beats (`heartbeat`) every few seconds. A job whose worker has been
silent longer than the stale time (`WORKER_STALE_AFTER_S`, default 300 s) is *stuck*: the
next `requeue_stale` (every worker runs it between jobs) queues it again. Admins may
requeue or cancel failed, cancelled, queued or stuck jobs; a job whose worker is alive is
left to it (nothing can stop an extraction half-way, and a second copy would race it).

States: queued, running, done, failed, cancelled; "stuck" is derived, never stored.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select, update

from ..roles import principal_of
from .accounts import utcnow
from .repository import Store
from .schema import JobRow

KINDS = ("ingest_text", "ingest_file", "refresh_feeds")
MAX_ERROR = 2000
MAX_NAME = 255
_SKIP_LOCKED_DIALECTS = {"postgresql", "mysql", "mariadb", "oracle"}
STALE_ENV = "WORKER_STALE_AFTER_S"
DEFAULT_STALE_AFTER_S = 300.0  # a running job's worker silent this long is taken for dead
log = logging.getLogger(__name__)


class JobError(ValueError):
    """A job that cannot be requeued or cancelled, with the reason."""


def stale_after_setting(environ: Mapping[str, str] | None = None) -> timedelta:
    """`WORKER_STALE_AFTER_S` (seconds, default 300): how long a running job's worker may be silent.

    The app and every worker read the same setting, so the jobs screen calls "stuck" exactly
    what the workers will requeue."""
    raw = (os.environ if environ is None else environ).get(STALE_ENV, "").strip()
    if not raw:
        return timedelta(seconds=DEFAULT_STALE_AFTER_S)
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{STALE_ENV} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{STALE_ENV} must be a number of seconds above 0, not {raw!r}")
    return timedelta(seconds=seconds)


def last_sign() -> ColumnElement[datetime]:
    """A running job's latest sign of life: its worker's last heartbeat, else when it was claimed."""
    return func.coalesce(JobRow.heartbeat_at, JobRow.started_at)


def stuck(cutoff: datetime) -> ColumnElement[bool]:
    """Running, with no sign of life from its worker since `cutoff`."""
    return (JobRow.status == "running") & (last_sign() < cutoff)


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    data: bytes | None
    created_by: str | None
    attempts: int


def candidate(skip_locked: bool, tried: set[int] | None = None) -> Select:
    """The oldest queued job's id; on PostgreSQL the row is locked, and rows other workers locked are skipped."""
    q = select(JobRow.id).where(JobRow.status == "queued").order_by(JobRow.id).limit(1)
    if tried:
        q = q.where(JobRow.id.not_in(tried))
    return q.with_for_update(skip_locked=True) if skip_locked else q


class JobQueue:
    def __init__(self, store: Store, *, stale_after: timedelta | None = None):
        self.store = store
        self._stale_after = stale_after

    @property
    def stale_after(self) -> timedelta:
        """How long a running job's worker may be silent before the job counts as stuck."""
        if self._stale_after is None:
            self._stale_after = stale_after_setting()
        return self._stale_after

    # -- adding --------------------------------------------------------------------------------
    def _enqueue(self, kind: str, payload: dict[str, Any], data: bytes | None = None, user: str | None = None) -> int:
        principal = principal_of(self.store)
        principal.require("ingest", "queue articles for ingestion")
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r} (kinds: {', '.join(KINDS)})")
        with self.store.session() as s:
            row = JobRow(kind=kind, payload=payload, data=data, status="queued", attempts=0,
                         created_by=principal.name if principal.name is not None else user, created_at=utcnow())
            s.add(row)
            s.flush()
            return row.id

    def enqueue_text(self, text: str, *, title: str | None = None, published: date | None = None, source: str | None = None,
                     name: str | None = None, user: str | None = None) -> int:
        label = name or title or "pasted text"
        payload = {"text": text, "title": title, "published": published.isoformat() if published else None, "source": source,
                   "name": label[:MAX_NAME]}
        return self._enqueue("ingest_text", payload, user=user)

    def enqueue_file(self, name: str, data: bytes, *, published: date | None = None, user: str | None = None) -> int:
        """An upload: its bytes in the row; `name` is kept as the upload's label, never used as a path."""
        payload = {"name": str(name)[:MAX_NAME], "size": len(data), "published": published.isoformat() if published else None}
        return self._enqueue("ingest_file", payload, data=bytes(data), user=user)

    def enqueue_refresh(self, user: str | None = None) -> int:
        return self._enqueue("refresh_feeds", {}, user=user)

    # -- taking --------------------------------------------------------------------------------
    def claim(self, worker_id: str) -> Job | None:
        """The oldest queued job, now running for this worker; None when the queue is empty."""
        principal_of(self.store).require("ingest", "run queued jobs")
        skip_locked = self.store.engine.dialect.name in _SKIP_LOCKED_DIALECTS
        tried: set[int] = set()
        while True:
            with self.store.session() as s:
                job_id = s.scalar(candidate(skip_locked, tried))
                if job_id is None:
                    return None
                # Atomic on every database: only one worker's UPDATE finds the row still queued.
                won = s.execute(
                    update(JobRow).where(JobRow.id == job_id, JobRow.status == "queued")
                    .values(status="running", started_at=utcnow(), heartbeat_at=None, worker_id=worker_id[:120],
                            attempts=JobRow.attempts + 1)
                    .execution_options(synchronize_session=False)
                ).rowcount == 1
                if won:
                    row = s.get(JobRow, job_id, populate_existing=True)
                    assert row is not None
                    return Job(row.id, row.kind, dict(row.payload or {}), row.data, row.created_by, row.attempts)
            tried.add(job_id)  # another worker took it between our select and our update

    # Finishing, failing and releasing a job are a worker's writes: the principal must be allowed
    # to run jobs, and the job must be running (for `worker_id`, when given: by that worker).
    def finish(self, job_id: int, result: dict[str, Any] | None = None, *, worker_id: str | None = None) -> bool:
        return self._update_running(job_id, worker_id, status="done", finished_at=utcnow(), result=result)

    def fail(self, job_id: int, error: str, result: dict[str, Any] | None = None, *, worker_id: str | None = None) -> bool:
        return self._update_running(job_id, worker_id, status="failed", finished_at=utcnow(), error=error[:MAX_ERROR], result=result)

    def release(self, job_id: int, *, worker_id: str | None = None) -> bool:
        """Put a running job back in the queue (its worker was stopped before finishing it)."""
        return self._update_running(job_id, worker_id, status="queued", worker_id=None, heartbeat_at=None)

    def heartbeat(self, job_id: int, worker_id: str) -> bool:
        """The worker `worker_id` is alive and still running this job. False when the job is no
        longer its own (cancelled, or queued again after a silence): nothing is changed then."""
        return self._update_running(job_id, worker_id, heartbeat_at=utcnow())

    def _update_running(self, job_id: int, owner: str | None, **values: Any) -> bool:
        """True if the job was running (by the worker `owner`, when given) and now has `values`;
        False if it was not, and nothing changed."""
        principal_of(self.store).require("ingest", "run queued jobs")
        conditions = [JobRow.id == job_id, JobRow.status == "running"]
        if owner is not None:
            conditions.append(JobRow.worker_id == owner[:120])
        with self.store.session() as s:
            done = s.execute(update(JobRow).where(*conditions).values(**values).execution_options(synchronize_session=False))
            return bool(done.rowcount)

    def requeue_stale(self, older_than: timedelta | None = None, max_attempts: int = 3) -> int:
        """Stuck jobs (their worker silent for `older_than`, by default the stale time): queued
        again, or failed after `max_attempts`. How many were found."""
        principal_of(self.store).require("ingest", "run queued jobs")
        now = utcnow()
        silent = stuck(now - (older_than if older_than is not None else self.stale_after))
        with self.store.session() as s:
            failed = s.execute(update(JobRow).where(silent, JobRow.attempts >= max_attempts).values(
                status="failed", finished_at=now, heartbeat_at=None, error="the worker running it stopped, too many times")
                .execution_options(synchronize_session=False)).rowcount
            again = s.execute(update(JobRow).where(silent, JobRow.attempts < max_attempts)
                              .values(status="queued", worker_id=None, heartbeat_at=None)
                              .execution_options(synchronize_session=False)).rowcount
        if failed or again:
            log.warning("%d stuck jobs queued again, %d failed after %d attempts", again or 0, failed or 0, max_attempts)
        return int(failed or 0) + int(again or 0)

    # -- an admin's actions --------------------------------------------------------------------
    def requeue(self, job_id: int) -> None:
        """Run a failed, cancelled or stuck job again (admins only); it keeps its count of attempts."""
        self._admin_change(job_id, "requeue", ("failed", "cancelled"), status="queued", worker_id=None, heartbeat_at=None,
                           started_at=None, finished_at=None, error=None, result=None)

    def cancel(self, job_id: int) -> None:
        """A queued, failed or stuck job will not run (again) (admins only). A running job whose
        worker is alive is refused: an extraction cannot be stopped half-way."""
        who = principal_of(self.store).label
        self._admin_change(job_id, "cancel", ("queued", "failed"), status="cancelled", finished_at=utcnow(), heartbeat_at=None,
                           error=f"cancelled by {who}"[:MAX_ERROR])

    def _admin_change(self, job_id: int, doing: str, states: tuple[str, ...], **values: Any) -> None:
        """`values` on the job if it is in one of `states` or stuck, in one conditional UPDATE
        (a worker claiming or finishing it meanwhile wins); JobError saying why not otherwise."""
        principal = principal_of(self.store)
        principal.require("admin", f"{doing} jobs")
        stale_after = self.stale_after
        with self.store.session() as s:
            changed = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.status.in_(states) | stuck(utcnow() - stale_after)).values(**values)
                                .execution_options(synchronize_session=False)).rowcount
            row = s.execute(select(JobRow.status, JobRow.worker_id, last_sign().label("last_sign")).where(JobRow.id == job_id)).first()
        if changed:
            log.info("job #%d: %s by %s", job_id, doing, principal.label)
            return
        raise JobError(_refusal(job_id, doing, row, stale_after))

    # -- reading -------------------------------------------------------------------------------
    def pending(self, kind: str | None = None) -> int:
        """Jobs queued or running (of one kind)."""
        q = select(func.count(JobRow.id)).where(JobRow.status.in_(("queued", "running")))
        if kind:
            q = q.where(JobRow.kind == kind)
        with self.store.engine.connect() as conn:
            return int(conn.scalar(q) or 0)

    def last_created(self, kind: str) -> datetime | None:
        with self.store.engine.connect() as conn:
            return conn.scalar(select(func.max(JobRow.created_at)).where(JobRow.kind == kind))

    def status(self, job_id: int) -> dict[str, Any] | None:
        with self.store.session() as s:
            row = s.get(JobRow, job_id)
            if row is None:
                return None
            return {c: getattr(row, c) for c in ("id", "kind", "status", "attempts", "error", "result", "created_by", "created_at",
                                                  "started_at", "finished_at", "worker_id", "heartbeat_at")} | {
                "name": (row.payload or {}).get("name")}

    def recent(self, user: str | None = None, *, everyone: bool = False, limit: int = 20) -> pd.DataFrame:
        """The latest jobs (of `user`, or of everyone), newest first, without their bytes."""
        q = select(JobRow.id, JobRow.kind, JobRow.payload, JobRow.status, JobRow.error, JobRow.result, JobRow.created_by,
                   JobRow.created_at, JobRow.finished_at).order_by(JobRow.id.desc()).limit(limit)
        if not everyone:
            q = q.where(JobRow.created_by.is_(None) if user is None else JobRow.created_by == user)
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
        return pd.DataFrame([{
            "id": r.id, "kind": r.kind, "input": (r.payload or {}).get("name") or "", "status": r.status,
            "outcome": _outcome(r.result) if r.status == "done" else (r.error or ""), "queued": r.created_at, "finished": r.finished_at,
        } for r in rows], columns=["id", "kind", "input", "status", "outcome", "queued", "finished"])


    def listing(self, limit: int = 200) -> pd.DataFrame:
        """The latest jobs, newest first, with their worker, times and state ("stuck" for a running
        job whose worker has been silent longer than the stale time). Analysts and admins see
        everyone's jobs (read-only for analysts); anyone else only their own."""
        principal = principal_of(self.store)
        q = select(JobRow.id, JobRow.kind, JobRow.payload, JobRow.status, JobRow.attempts, JobRow.error, JobRow.result,
                   JobRow.created_by, JobRow.created_at, JobRow.started_at, last_sign().label("last_sign"), JobRow.finished_at,
                   JobRow.worker_id).order_by(JobRow.id.desc()).limit(limit)
        if not principal.can("ingest"):
            q = q.where(JobRow.created_by == principal.name)
        cutoff = utcnow() - self.stale_after
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
        return pd.DataFrame([{
            "id": r.id, "kind": r.kind, "input": (r.payload or {}).get("name") or "",
            "status": "stuck" if r.status == "running" and r.last_sign is not None and r.last_sign < cutoff else r.status,
            "by": r.created_by or "", "worker": r.worker_id or "", "attempts": r.attempts,
            "outcome": _outcome(r.result) if r.status == "done" else (r.error or ""), "queued": r.created_at, "started": r.started_at,
            "last_heartbeat": r.last_sign if r.status == "running" else None, "finished": r.finished_at,
        } for r in rows], columns=LISTING_COLUMNS)


LISTING_COLUMNS = ["id", "kind", "input", "status", "by", "worker", "attempts", "outcome", "queued", "started", "last_heartbeat",
                   "finished"]


DONE_TO = {"requeue": "requeued", "cancel": "cancelled"}


def _refusal(job_id: int, doing: str, row: Any, stale_after: timedelta) -> str:
    """Why `doing` (requeue, cancel) was refused for a job in `row`'s state."""
    if row is None:
        return f"there is no job #{job_id}"
    if row.status == "running":
        seen = f"{row.last_sign:%H:%M:%S} UTC" if row.last_sign is not None else "a moment ago"
        return (f"job #{job_id} is running on {row.worker_id or 'a worker'}, which last gave a sign of life at {seen}: a job whose "
                f"worker is alive cannot be {DONE_TO[doing]}; if the worker has stopped, the job becomes stuck after "
                f"{stale_after.total_seconds():g} s of silence ({STALE_ENV}) and can be {DONE_TO[doing]} then")
    if row.status == "done":
        return f"job #{job_id} is done: a finished job is neither run again nor cancelled"
    return f"job #{job_id} is already {row.status}"


def _outcome(result: dict[str, Any] | None) -> str:
    if not result:
        return ""
    return ", ".join(f"{result[k]} {k}" for k in ("stored", "duplicate", "skipped", "failed") if result.get(k))
