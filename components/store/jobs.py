"""The queue of background work: pasted texts, uploads and feed refreshes for `worker`.

A job is claimed by exactly one worker: on PostgreSQL the candidate row is selected
`FOR UPDATE SKIP LOCKED` (workers skip each other's rows instead of waiting), and on
every database the claim itself is a conditional UPDATE (`status='queued' -> 'running'`
where the row is still queued) whose row count says whether this worker won it. Uploaded
bytes are kept in the row; the file's original name is metadata only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select, update

from ..roles import principal_of
from .accounts import utcnow
from .repository import Store
from .schema import JobRow

KINDS = ("ingest_text", "ingest_file", "refresh_feeds")
MAX_ERROR = 2000
MAX_NAME = 255
_SKIP_LOCKED_DIALECTS = {"postgresql", "mysql", "mariadb", "oracle"}


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
    def __init__(self, store: Store):
        self.store = store

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
                    .values(status="running", started_at=utcnow(), worker_id=worker_id[:120], attempts=JobRow.attempts + 1)
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
        return self._update_running(job_id, worker_id, status="queued", worker_id=None)

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

    def requeue_stale(self, older_than: timedelta, max_attempts: int = 3) -> int:
        """Jobs left running by a worker that died: queued again, or failed after `max_attempts`."""
        principal_of(self.store).require("ingest", "run queued jobs")
        cutoff = utcnow() - older_than
        stale = (JobRow.status == "running") & (JobRow.started_at < cutoff)
        with self.store.session() as s:
            failed = s.execute(update(JobRow).where(stale, JobRow.attempts >= max_attempts).values(
                status="failed", finished_at=utcnow(), error="the worker running it stopped, too many times")
                .execution_options(synchronize_session=False)).rowcount
            again = s.execute(update(JobRow).where(stale, JobRow.attempts < max_attempts).values(status="queued", worker_id=None)
                              .execution_options(synchronize_session=False)).rowcount
            return int(failed or 0) + int(again or 0)

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
                                                  "started_at", "finished_at", "worker_id")} | {"name": (row.payload or {}).get("name")}

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


def _outcome(result: dict[str, Any] | None) -> str:
    if not result:
        return ""
    return ", ".join(f"{result[k]} {k}" for k in ("stored", "duplicate", "skipped", "failed") if result.get(k))
