"""The record of job runs that staff (the admin, later) and ``flask jobs`` read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, utcnow

STATES = ("running", "succeeded", "retrying", "failed")


class JobRun(Model):
    """One queued task: its attempts share the row (Huey keeps the task id across retries).

    Not ``TenantOwned``: platform jobs have no tenant, and the record is written by the runner
    outside the job's own tenant context. Staff pages filter by ``tenant_id`` explicitly.
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    tenant_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    #: The job's keyword arguments (ids and flags, never personal data).
    arguments: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: The last failure: exception type, message and the end of the traceback.
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_ms: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<JobRun {self.id} {self.name} {self.state}>"
