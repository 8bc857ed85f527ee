"""Platform jobs that keep the queue's own records small."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from portal.db import utcnow
from portal.extensions import db
from portal.jobs import job
from portal.jobs.models import JobRun

#: Successful runs are kept this long; failures stay until someone looks (or 90 days).
KEEP_SUCCEEDED = timedelta(days=14)
KEEP_FAILED = timedelta(days=90)


@job(per_tenant=False, retries=1)
def purge_job_runs() -> None:
    now = utcnow()
    db.session.execute(delete(JobRun).where(
        JobRun.state == "succeeded", JobRun.finished_at < now - KEEP_SUCCEEDED))
    db.session.execute(delete(JobRun).where(JobRun.finished_at < now - KEEP_FAILED))
