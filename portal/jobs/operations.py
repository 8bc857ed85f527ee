"""What operators do with job runs: list them, read failures, queue a failed run again.

Shared by ``flask jobs`` and the platform admin's jobs page.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.jobs import enqueue
from portal.jobs.models import STATES, JobRun


class NotRetryable(ValueError):
    """Only a failed run can be queued again (a running or retrying one is still in hand)."""


def recent_runs(*, state: str | None = None, tenant_id: int | None = None,
                before: int | None = None, limit: int = 50) -> list[JobRun]:
    """Newest first; ``before`` (a run id) pages on without OFFSET."""
    query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if state in STATES:
        query = query.where(JobRun.state == state)
    if tenant_id is not None:
        query = query.where(JobRun.tenant_id == tenant_id)
    if before is not None:
        query = query.where(JobRun.id < before)
    return list(db.session.scalars(query))


def retry_run(run: JobRun) -> str:
    """Queue a failed run again (same job, municipality and arguments); the new task id."""
    if run.state != "failed":
        raise NotRetryable(run.state)
    return enqueue(run.name, tenant_id=run.tenant_id, **(run.arguments or {}))
