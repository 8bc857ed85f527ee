"""Run one job the same way everywhere (worker, ``flask jobs run``, tests).

Each run gets a fresh app context, the tenant's context (or ``all_tenants()`` for platform
jobs), one commit on success or a rollback on failure, a ``job_runs`` row written in its own
transaction (so a failed job's record survives the job's rollback) and one log line.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from contextlib import AbstractContextManager

from flask import Flask
from sqlalchemy import update

from portal.db import utcnow
from portal.extensions import db
from portal.jobs import Job
from portal.jobs.models import JobRun
from portal.tenancy import TenantInfo, all_tenants, tenant_context
from portal.tenancy.directory import get_directory

log = logging.getLogger("portal.jobs")


class UnknownTenant(LookupError):
    """The job names a municipality that no longer exists or is inactive; never retried."""


def task_function(app: Flask, spec: Job):
    """The function Huey calls: ``(tenant_id, task=..., **kwargs)``."""

    def run(tenant_id: int | None, task=None, **kwargs):
        attempt = spec.retries - (task.retries if task else spec.retries) + 1
        task_id = task.id if task else f"local-{uuid.uuid4().hex}"
        will_retry = bool(task and task.retries > 0)
        return run_job(app, spec, tenant_id, kwargs, task_id=task_id, attempt=attempt,
                       will_retry=will_retry)

    run.__name__ = spec.name
    return run


def run_job(app: Flask, spec: Job, tenant_id: int | None, kwargs: dict, *, task_id: str,
            attempt: int = 1, will_retry: bool = False):
    """Run ``spec`` once; re-raise its exception so the queue can retry it."""
    started = time.monotonic()
    with app.app_context():
        tenant = _tenant(app, tenant_id)
        run_id = _record_start(spec, tenant_id, kwargs, task_id, attempt)
        try:
            if spec.per_tenant and tenant is None:
                raise UnknownTenant(f"tenant {tenant_id} is unknown or inactive")
            with _scope(tenant):
                args = (tenant_id,) if spec.per_tenant else ()
                value = spec.func(*args, **kwargs)
                db.session.commit()
        except Exception as exc:
            db.session.rollback()
            retrying = will_retry and not isinstance(exc, UnknownTenant)
            state = "retrying" if retrying else "failed"
            _record_end(run_id, state, started, _describe(exc))
            _log(spec, tenant, task_id, state, attempt, started, exc)
            if isinstance(exc, UnknownTenant):
                return None  # retrying cannot bring a tenant back
            raise
        finally:
            db.session.remove()
        _record_end(run_id, "succeeded", started, None)
        _log(spec, tenant, task_id, "succeeded", attempt, started, None)
        db.session.remove()
        return value


def _tenant(app: Flask, tenant_id: int | None) -> TenantInfo | None:
    if tenant_id is None:
        return None
    return next((t for t in get_directory(app).active() if t.id == tenant_id), None)


def _scope(tenant: TenantInfo | None) -> AbstractContextManager:
    return tenant_context(tenant) if tenant else all_tenants()


def _record_start(spec: Job, tenant_id, kwargs, task_id: str, attempt: int) -> int:
    # Writes first (UPDATE, else INSERT): see portal/delivery/claim.py on SQLite write locks.
    values = {"state": "running", "attempts": attempt, "started_at": utcnow(),
              "finished_at": None}
    found = db.session.execute(
        update(JobRun).where(JobRun.task_id == task_id).values(**values)
        .returning(JobRun.id)
    ).scalar_one_or_none()
    if found is None:
        run = JobRun(task_id=task_id, name=spec.name, tenant_id=tenant_id, arguments=kwargs,
                     **values)
        db.session.add(run)
        db.session.flush()
        found = run.id
    db.session.commit()
    return found


def _record_end(run_id: int, state: str, started: float, error: str | None) -> None:
    values = {"state": state, "finished_at": utcnow(),
              "duration_ms": int((time.monotonic() - started) * 1000)}
    if error is not None:
        values["error"] = error
    db.session.execute(update(JobRun).where(JobRun.id == run_id).values(**values))
    db.session.commit()


def _describe(exc: BaseException) -> str:
    lines = traceback.format_exception(exc)
    return "".join(lines[-6:])[-4000:]


def _log(spec: Job, tenant, task_id, state, attempt, started, exc) -> None:
    level = logging.INFO if exc is None else logging.WARNING
    log.log(
        level,
        "job=%s tenant=%s task=%s state=%s attempt=%d duration_ms=%d%s",
        spec.name, tenant.slug if tenant else "-", task_id, state, attempt,
        int((time.monotonic() - started) * 1000),
        f" error={type(exc).__name__}: {exc}" if exc else "",
    )
