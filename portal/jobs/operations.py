"""What operators do with job runs: list them, read failures, queue a failed run again.

Shared by ``flask jobs`` and the platform admin's jobs page.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.jobs import enqueue
from portal.jobs.models import STATES, JobRun
from portal.web.pagination import Page, paginate_keyset


class NotRetryable(ValueError):
    """Only a failed run can be queued again (a running or retrying one is still in hand)."""


def _runs(state: str | None, tenant_id: int | None):
    query = select(JobRun)
    if state in STATES:
        query = query.where(JobRun.state == state)
    if tenant_id is not None:
        query = query.where(JobRun.tenant_id == tenant_id)
    return query


def recent_runs(*, state: str | None = None, tenant_id: int | None = None,
                limit: int = 50) -> list[JobRun]:
    """The latest ``limit`` runs, newest first."""
    return list(db.session.scalars(_runs(state, tenant_id).order_by(JobRun.id.desc()).limit(limit)))


def runs_page(*, state: str | None = None, tenant_id: int | None = None,
              before: int | None = None, per_page: int = 50) -> Page:
    """A page of runs, newest first; ``before`` (a run id) pages on without OFFSET."""
    return paginate_keyset(_runs(state, tenant_id), JobRun.id, before, per_page)


def retry_run(run: JobRun) -> str:
    """Queue a failed run again (same job, municipality and arguments); the new task id."""
    if run.state != "failed":
        raise NotRetryable(run.state)
    return enqueue(run.name, tenant_id=run.tenant_id, **(run.arguments or {}))
