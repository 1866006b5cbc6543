"""Workers beat while a job runs; a job whose worker falls silent is stuck, queued again, and shown so;
admins requeue and cancel jobs, and nobody else may."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from components.roles import PermissionDenied, Principal
from components.services.worker import Worker
from components.store import Store
from components.store.accounts import utcnow
from components.store.jobs import STALE_ENV, JobError, JobQueue, stale_after_setting
from components.store.schema import JobRow
from tests.conftest import PROJECT_ROOT

ANALYST = Principal("ana", "analyst")
VIEWER = Principal("vera", "viewer")
ADMIN = Principal("adam", "admin")
STALE = timedelta(minutes=5)
WAIT = 60.0  # seconds: a generous bound on conditions that normally hold within a few seconds


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Poll `condition` until it returns something true; fail saying `what` did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


def silent_for(store: Store, job_id: int, age: timedelta) -> None:
    """Make the job's worker look silent for `age`: its claim and its last heartbeat moved back."""
    with store.session() as s:
        s.execute(update(JobRow).where(JobRow.id == job_id).values(started_at=utcnow() - age, heartbeat_at=utcnow() - age))


@pytest.fixture()
def store(database_url) -> Store:
    return Store(database_url)


def test_the_stale_time_is_a_setting_with_a_default_and_clear_errors():
    assert stale_after_setting({}) == timedelta(seconds=300)
    assert stale_after_setting({STALE_ENV: "45"}) == timedelta(seconds=45)
    assert stale_after_setting({STALE_ENV: "0.5"}) == timedelta(seconds=0.5)
    for bad in ("soon", "0", "-3", "nan", "inf"):
        with pytest.raises(ValueError, match=f"{STALE_ENV} must be a number of seconds"):
            stale_after_setting({STALE_ENV: bad})


def test_only_the_jobs_own_worker_beats_for_it(store):
    queue = JobQueue(store, stale_after=STALE)
    job_id = queue.enqueue_text("Delegations met in Doha on Tuesday.")
    assert not queue.heartbeat(job_id, "w1")  # queued: nobody runs it yet
    assert queue.claim("w1").id == job_id
    assert queue.status(job_id)["heartbeat_at"] is None
    assert queue.heartbeat(job_id, "w1")
    assert queue.status(job_id)["heartbeat_at"] is not None
    assert not queue.heartbeat(job_id, "w2")  # another worker's job
    with pytest.raises(PermissionDenied):
        JobQueue(store.for_principal(VIEWER)).heartbeat(job_id, "w1")
    assert queue.finish(job_id, {"stored": 1}, worker_id="w1")
    assert not queue.heartbeat(job_id, "w1")  # done: nothing to beat for


def test_a_job_is_stuck_when_its_worker_is_silent_not_when_it_runs_long(store):
    queue = JobQueue(store, stale_after=STALE)
    long_one, silent_one = queue.enqueue_text("first"), queue.enqueue_text("second")
    assert queue.claim("busy").id == long_one and queue.claim("gone").id == silent_one
    with store.session() as s:  # both started an hour ago; only "busy" has beaten since
        s.execute(update(JobRow).values(started_at=utcnow() - timedelta(hours=1)))
    assert queue.heartbeat(long_one, "busy")
    listed = queue.listing().set_index("id")
    assert (listed.loc[long_one, "status"], listed.loc[silent_one, "status"]) == ("running", "stuck")
    assert listed.loc[long_one, "worker"] == "busy" and listed.loc[long_one, "last_heartbeat"] is not None
    assert queue.requeue_stale() == 1
    assert queue.status(long_one)["status"] == "running" and queue.status(silent_one)["status"] == "queued"
    # Claimed again, the job starts with a clean slate: the old worker's heartbeat does not make it stuck at once.
    assert queue.claim("fresh").id == silent_one
    assert queue.status(silent_one)["heartbeat_at"] is None
    assert queue.listing().set_index("id").loc[silent_one, "status"] == "running"
    assert not queue.finish(silent_one, worker_id="gone")  # the silent worker, back, cannot close it


def test_a_job_stuck_too_often_fails(store):
    queue = JobQueue(store, stale_after=STALE)
    job_id = queue.enqueue_text("text")
    for attempt in range(1, 4):
        assert queue.claim(f"w{attempt}").id == job_id
        silent_for(store, job_id, timedelta(hours=1))
        assert queue.requeue_stale() == 1
    assert queue.status(job_id)["status"] == "failed"
    assert "stopped, too many times" in queue.status(job_id)["error"]


def test_analysts_see_everyones_jobs_and_viewers_only_their_own(store):
    JobQueue(store.for_principal(ANALYST)).enqueue_text("from ana")
    JobQueue(store.for_principal(Principal("bo", "admin"))).enqueue_text("from bo")
    assert sorted(JobQueue(store.for_principal(ANALYST)).listing()["by"]) == ["ana", "bo"]
    assert sorted(JobQueue(store.for_principal(ADMIN)).listing()["by"]) == ["ana", "bo"]
    assert JobQueue(store.for_principal(VIEWER)).listing().empty
    with store.session() as s:  # a former analyst, now a viewer, still sees the jobs they queued
        s.execute(update(JobRow).where(JobRow.created_by == "ana").values(created_by="vera"))
    assert JobQueue(store.for_principal(VIEWER)).listing()["by"].tolist() == ["vera"]


def test_admins_requeue_and_cancel_failed_queued_and_stuck_jobs_but_not_live_ones(store):
    queue = JobQueue(store, stale_after=STALE)
    admin = JobQueue(store.for_principal(ADMIN), stale_after=STALE)
    failed, live, stuck, done = (queue.enqueue_text(t) for t in ("a", "b", "c", "d"))
    for job_id in (failed, live, stuck, done):
        assert queue.claim(f"w{job_id}").id == job_id
    assert queue.fail(failed, "the text was empty", worker_id=f"w{failed}")
    assert queue.finish(done, {"stored": 1}, worker_id=f"w{done}")
    assert queue.heartbeat(live, f"w{live}")
    silent_for(store, stuck, timedelta(hours=1))

    admin.requeue(failed)
    after = queue.status(failed)
    assert (after["status"], after["error"], after["worker_id"], after["finished_at"]) == ("queued", None, None, None)
    with pytest.raises(JobError, match="already queued"):
        admin.requeue(failed)
    admin.cancel(failed)
    assert (queue.status(failed)["status"], queue.status(failed)["error"]) == ("cancelled", "cancelled by adam")
    with pytest.raises(JobError, match="already cancelled"):
        admin.cancel(failed)
    with pytest.raises(JobError, match=rf"job #{live} is running on w{live}.*alive"):
        admin.cancel(live)
    with pytest.raises(JobError, match="alive"):
        admin.requeue(live)
    assert queue.status(live)["status"] == "running"
    admin.cancel(stuck)
    assert queue.status(stuck)["status"] == "cancelled"
    assert not queue.finish(stuck, {"stored": 1}, worker_id=f"w{stuck}")  # its worker, back, records nothing
    admin.requeue(stuck)
    assert queue.claim("again").id == stuck
    with pytest.raises(JobError, match="is done"):
        admin.requeue(done)
    with pytest.raises(JobError, match="there is no job #999"):
        admin.cancel(999)


@pytest.mark.parametrize("principal", [ANALYST, VIEWER])
def test_only_admins_requeue_or_cancel(store, principal):
    queue = JobQueue(store)
    job_id = queue.enqueue_text("text")
    assert queue.claim("w").id == job_id and queue.fail(job_id, "no", worker_id="w")
    other = JobQueue(store.for_principal(principal))
    with pytest.raises(PermissionDenied, match="requeue jobs: that needs the admin role"):
        other.requeue(job_id)
    with pytest.raises(PermissionDenied, match="cancel jobs: that needs the admin role"):
        other.cancel(job_id)
    assert queue.status(job_id)["status"] == "failed"


class Waiting(Worker):
    """A worker whose job waits until its heartbeat is in the database, then ends."""

    def handle(self, job: Any) -> dict[str, Any]:
        wait_for(lambda: self.queue.status(job.id)["heartbeat_at"], "a heartbeat while the job runs")
        return {"stored": 1}


def test_the_worker_beats_while_a_job_runs_and_stops_when_it_ends(sqlite_url):
    store = Store(sqlite_url)
    worker = Waiting(store, worker_id="w", stale_after=timedelta(seconds=0.5))
    job_id = worker.queue.enqueue_text("text")
    assert worker.run_one()
    assert worker.queue.status(job_id)["status"] == "done"
    assert not [t for t in threading.enumerate() if t.name.startswith("heartbeat-")]  # the beating thread was joined


class Quick(Worker):
    def handle(self, job: Any) -> dict[str, Any]:
        return {"stored": 1}


def test_a_killed_workers_job_is_queued_again_and_done_by_another_worker(database_url):
    stale = timedelta(seconds=3)
    store = Store(database_url)
    queue = JobQueue(store, stale_after=stale)
    job_id = queue.enqueue_text("A long text about a ceasefire.", title="slow")
    env = os.environ | {STALE_ENV: str(stale.total_seconds())}
    doomed = subprocess.Popen([sys.executable, "-m", "tests.fixtures.endless_worker", database_url, "doomed"], cwd=PROJECT_ROOT, env=env)
    rescuer = Quick(Store(database_url), worker_id="rescuer", poll=0.1, stale_after=stale)
    thread = threading.Thread(target=rescuer.run, daemon=True)
    try:
        wait_for(lambda: queue.status(job_id)["worker_id"] == "doomed", "the worker process taking the job")
        thread.start()  # another worker, looking for work (and for stuck jobs) all along

        def beating_past_the_stale_time() -> bool:
            job = queue.status(job_id)
            assert (job["status"], job["worker_id"]) == ("running", "doomed"), "a live worker's job was taken from it"
            return job["heartbeat_at"] is not None and job["heartbeat_at"] - job["started_at"] > 2 * stale

        wait_for(beating_past_the_stale_time, "heartbeats for twice the stale time")
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(WAIT)
        last_beat = queue.status(job_id)["heartbeat_at"]
        wait_for(lambda: queue.status(job_id)["status"] == "done", "the job done by the other worker")
        job = queue.status(job_id)
        assert (job["worker_id"], job["attempts"]) == ("rescuer", 2)
        assert job["started_at"] - last_beat >= stale  # queued again only after the whole silence
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait(WAIT)
        rescuer.stop()
        thread.join(WAIT)
