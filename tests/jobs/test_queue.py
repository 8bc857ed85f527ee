"""The job queue for real: a Huey consumer in threads, on SQLite and (with REDIS_URL) Redis."""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import delete, select

from portal.extensions import db
from portal.jobs import REGISTRY, build_queue, enqueue, job
from portal.jobs.models import JobRun
from portal.jobs.schedule import full_schedule
from portal.tenancy import current_tenant

CALLS: list[tuple] = []


@job(name="test_record", retries=0)
def record(tenant_id: int, word: str) -> None:
    CALLS.append(("record", tenant_id, current_tenant.slug, word))


@job(name="test_flaky", retries=2, retry_delay=0.1, retry_backoff=2)
def flaky(tenant_id: int, failures: int) -> None:
    CALLS.append(("flaky", tenant_id))
    if sum(1 for c in CALLS if c[0] == "flaky") <= failures:
        raise RuntimeError("not yet")


@job(name="test_broken", retries=1, retry_delay=0.1)
def broken(tenant_id: int) -> None:
    raise ValueError("ჩავარდა: broken on purpose")


def _backends():
    yield pytest.param("sqlite", id="sqlite")
    yield pytest.param("redis", id="redis", marks=pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"))


@pytest.fixture(params=list(_backends()))
def queue(request, app, tmp_path):
    if request.param == "redis":
        huey = RedisHuey(f"portal-test-{os.getpid()}", url=os.environ["REDIS_URL"], results=False)
    else:
        huey = SqliteHuey("portal-test", filename=str(tmp_path / "jobs.sqlite3"), results=False)
    queue = build_queue(app, huey)
    huey.flush()
    CALLS.clear()
    original = app.extensions["jobs"]
    app.extensions["jobs"] = queue
    yield queue
    app.extensions["jobs"] = original
    huey.flush()
    with app.app_context():
        db.session.execute(delete(JobRun).where(JobRun.name.like("test_%")))
        db.session.commit()


@contextmanager
def consumer(queue):
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                       signal.SIGHUP)}
    worker = queue.huey.create_consumer(workers=2, periodic=False, worker_type="thread",
                                        initial_delay=0.01, max_delay=0.05)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop(graceful=True)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def _runs(app, name):
    with app.app_context():
        runs = db.session.execute(select(JobRun).where(JobRun.name == name)).scalars().all()
        db.session.expunge_all()
        db.session.rollback()
        return runs


@pytest.mark.no_db_rollback
def test_a_job_runs_in_its_municipality_and_is_recorded(app, queue, poti):
    with app.app_context():
        enqueue("test_record", tenant_id=poti.id, word="გამარჯობა")
    with consumer(queue):
        _wait_for(lambda: any(r.state == "succeeded" for r in _runs(app, "test_record")))
    assert CALLS == [("record", poti.id, "poti", "გამარჯობა")]
    [run] = _runs(app, "test_record")
    assert (run.tenant_id, run.attempts, run.arguments) == (poti.id, 1, {"word": "გამარჯობა"})
    assert run.duration_ms is not None and run.finished_at is not None


@pytest.mark.no_db_rollback
def test_failing_job_is_retried_with_backoff_until_it_succeeds(app, queue, abasha):
    with app.app_context():
        enqueue("test_flaky", tenant_id=abasha.id, failures=2)
    with consumer(queue):
        _wait_for(lambda: any(r.state == "succeeded" for r in _runs(app, "test_flaky")))
    [run] = _runs(app, "test_flaky")
    assert run.attempts == 3 and "not yet" in run.error
    assert len([c for c in CALLS if c[0] == "flaky"]) == 3


@pytest.mark.no_db_rollback
def test_failures_are_listed_and_can_be_retried(app, queue, poti):
    with app.app_context():
        enqueue("test_broken", tenant_id=poti.id)
    with consumer(queue):
        _wait_for(lambda: any(r.state == "failed" for r in _runs(app, "test_broken")))
    [run] = _runs(app, "test_broken")
    assert run.attempts == 2 and "ValueError: ჩავარდა" in run.error
    runner = app.test_cli_runner()
    failures = runner.invoke(args=["jobs", "failures"])
    assert "test_broken" in failures.output and "ჩავარდა" in failures.output
    listing = runner.invoke(args=["jobs", "list", "--tenant", "poti"])
    assert "test_broken" in listing.output and "failed" in listing.output
    retried = runner.invoke(args=["jobs", "retry", str(run.id)])
    assert retried.exit_code == 0 and "queued test_broken again" in retried.output
    assert queue.huey.pending_count() == 1


def test_per_tenant_jobs_need_a_tenant(app):
    with app.app_context(), pytest.raises(ValueError, match="needs a tenant_id"):
        enqueue("send_outbox", tenant_id=None)


def test_every_scheduled_job_exists(app):
    scheduled = {entry.job for entry in full_schedule(app)}
    assert {"send_outbox", "sync_sessions"} <= scheduled  # the platform's and a feature's
    assert scheduled <= set(REGISTRY)


def test_periodic_entries_fan_out_to_every_active_municipality(app, queue, poti, abasha):
    [fan_out] = [t for t in queue.huey._registry._periodic_tasks
                 if t.__name__ == "periodic.send_outbox"]
    fan_out().execute()
    tenant_ids = sorted(task.args[0] for task in queue.huey.pending())
    assert tenant_ids == sorted([poti.id, abasha.id])


@pytest.mark.no_db_rollback
def test_jobs_run_command_uses_the_runner(app, poti):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "send_outbox", "--tenant", "poti"])
    assert result.exit_code == 0, result.output
    [run] = _runs(app, "send_outbox")
    assert run.state == "succeeded" and run.task_id.startswith("cli-")
    with app.app_context():
        db.session.execute(delete(JobRun).where(JobRun.id == run.id))
        db.session.commit()
    missing = app.test_cli_runner().invoke(args=["jobs", "run", "send_outbox"])
    assert missing.exit_code != 0 and "--tenant" in missing.output
