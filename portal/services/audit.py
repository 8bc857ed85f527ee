"""The audit log: who did what, when, from where, with the values before and after.

Append-only: the ORM refuses to update or delete an entry (``before_flush`` below) and the
migration adds database triggers that refuse it too. Staff mutations, sign-ins (successful and
failed) and reads of personal data all write here. ``portal.web.permissions.requires`` checks
that every staff route that changed something called ``record``.
"""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context, request
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Model, utcnow
from portal.extensions import db


class AuditEntry(Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: NULL for platform-wide actions (a municipality added, a sign-in on the shared host).
    tenant_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("tenants.id", ondelete="RESTRICT"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Copied, so the entry still says who it was if the account changes or goes away.
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    #: Personal data: the client address, kept as long as the log is.
    ip: Mapped[str] = mapped_column(String(45), default="")


class AuditLogReadOnly(RuntimeError):
    """An audit entry was about to be changed or deleted."""


def record(
    action: str,
    *,
    target: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
    actor_email: str | None = None,
    tenant_id: int | None | bool = True,
) -> AuditEntry:
    """Add one entry (flushes with the caller's transaction, never commits).

    ``tenant_id=True`` (the default) means the current municipality, if any. ``actor`` defaults
    to the signed-in user.
    """
    from flask_login import current_user

    from portal.tenancy import get_current_tenant

    if tenant_id is True:
        tenant = get_current_tenant()
        tenant_id = tenant.id if tenant else None
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        tenant_id=tenant_id or None,
        actor_id=getattr(actor, "id", None),
        actor_email=actor_email or getattr(actor, "email", "") or "",
        action=action,
        target=target[:200],
        before=_jsonable(before),
        after=_jsonable(after),
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
    )
    db.session.add(entry)
    if has_request_context():
        g.audit_written = True
        _check_view_may_write(action)
    return entry


def _check_view_may_write(action: str) -> None:
    """A GET view that records (a read of personal data) must be marked ``writes_on_read``:
    otherwise its SQLite transaction began deferred and the write can fail with "database is
    locked" whenever a job wrote meanwhile. Tests fail on an unmarked view; production logs it."""
    from flask import current_app

    from portal.db import may_write

    if may_write():
        return
    message = f"audit {action!r} written by the GET view {request.endpoint!r}, not marked writes_on_read"
    if current_app.testing:
        raise AssertionError(message)
    current_app.logger.error(message)


def record_read(what: str, target: str = "") -> AuditEntry:
    """Log a read of personal data (an export of signers or letter writers, say)."""
    return record(f"read.{what}", target=target)


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _jsonable(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in (sorted(value) if isinstance(value, set | frozenset) else value)]
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogReadOnly("audit entries cannot be changed or deleted")
