"""The job queue: Huey on SQLite under instance/ (one machine), or on Redis when REDIS_URL is set.

Jobs are plain functions registered with ``@job``; ``init_jobs(app)`` builds the queue for one
app and wraps every job in ``portal.jobs.runner`` (app context, tenant context, one commit or
rollback, a recorded run, a log line). Callers enqueue by name with an explicit tenant:
``enqueue("send_outbox", tenant_id=tenant.id)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

#: The platform's modules of ``@job`` functions; the features' come from the registry
#: (``portal/blueprints``). Explicit, no discovery.
JOB_MODULES = ("portal.delivery.tasks", "portal.jobs.housekeeping", "portal.delivery.retention")


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable
    retries: int
    retry_delay: float
    retry_backoff: float
    #: False for platform jobs that run across municipalities (tenant_id is None).
    per_tenant: bool


REGISTRY: dict[str, Job] = {}


def job(*, name: str | None = None, retries: int = 3, retry_delay: float = 10.0,
        retry_backoff: float = 2.0, per_tenant: bool = True):
    """Register a job. Failing runs are retried ``retries`` times, waiting
    ``retry_delay * retry_backoff**n`` seconds before retry n+1."""

    def register(func: Callable) -> Callable:
        key = name or func.__name__
        REGISTRY[key] = Job(key, func, retries, retry_delay, retry_backoff, per_tenant)
        return func

    return register


class JobQueue:
    """One app's queue: the Huey instance and the Huey task of every registered job."""

    def __init__(self, huey: Huey, tasks: dict):
        self.huey = huey
        self.tasks = tasks

    def enqueue(self, name: str, tenant_id: int | None, delay: float | None = None,
                **kwargs) -> str:
        try:
            wrapper = self.tasks[name]
        except KeyError:
            raise LookupError(f"no job named {name!r}") from None
        task = wrapper.s(tenant_id, **kwargs)
        if delay:
            from huey.utils import normalize_time

            task.eta = normalize_time(None, timedelta(seconds=delay), self.huey.utc)
        self.huey.enqueue(task)
        return task.id


def make_huey(config: dict, instance_path: str) -> Huey:
    """Redis when ``REDIS_URL`` is set (shared by every machine), else SQLite in instance/."""
    if config.get("REDIS_URL"):
        return RedisHuey("portal", url=config["REDIS_URL"], results=False)
    filename = config.get("JOBS_SQLITE_FILE") or str(Path(instance_path) / "jobs.sqlite3")
    return SqliteHuey("portal", filename=filename, results=False)


def load_job_modules() -> None:
    from portal.blueprints import job_modules

    for module in JOB_MODULES + job_modules():
        importlib.import_module(module)


def init_jobs(app: Flask) -> JobQueue:
    """Build the app's queue (``app.extensions["jobs"]``)."""
    queue = build_queue(app, make_huey(app.config, app.instance_path))
    app.extensions["jobs"] = queue
    return queue


def build_queue(app: Flask, huey: Huey) -> JobQueue:
    """Every registered job and the periodic schedule on ``huey``, run for ``app``."""
    from portal.jobs.runner import task_function
    from portal.jobs.schedule import register_schedule

    load_job_modules()
    tasks = {}
    for spec in REGISTRY.values():
        tasks[spec.name] = huey.task(
            retries=spec.retries, retry_delay=spec.retry_delay,
            retry_backoff=spec.retry_backoff, name=spec.name, context=True,
        )(task_function(app, spec))
    queue = JobQueue(huey, tasks)
    register_schedule(app, queue)
    return queue


def get_queue(app: Flask | None = None) -> JobQueue:
    return (app or current_app).extensions["jobs"]


def enqueue(job: str | Callable, *, tenant_id: int | None, delay: float | None = None,
            **kwargs) -> str:
    """Put a job on the queue for one municipality (``tenant_id``) and return the task id.

    ``tenant_id`` is required by keyword so no caller forgets which municipality a job is
    for; ``None`` is only for platform jobs. ``kwargs`` must be JSON-like (ids, not objects).
    """
    name = job if isinstance(job, str) else job.__name__
    spec = REGISTRY.get(name)
    if spec is not None and spec.per_tenant and tenant_id is None:
        raise ValueError(f"job {name!r} needs a tenant_id")
    return get_queue().enqueue(name, tenant_id, delay=delay, **kwargs)
