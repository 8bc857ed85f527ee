"""What operators do with a municipality's outbox: see it, approve held SMS, retry failures,
send a message in doubt again.

Shared by ``flask outbox`` and the staff admin page, so both follow the same rules. Runs in
the current municipality (the ORM scopes every query and update); flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update

from portal.db import utcnow
from portal.delivery.models import CHANNELS, STATUSES
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db
from portal.services.outbox import wake_delivery_on_commit
from portal.tenancy import current_tenant
from portal.web.pagination import Page, paginate_keyset


@dataclass(frozen=True)
class StatusCount:
    channel: str
    status: str
    count: int


def status_counts() -> list[StatusCount]:
    rows = db.session.execute(
        select(M.channel, M.status, func.count()).group_by(M.channel, M.status)
        .order_by(M.channel, M.status)).all()
    return [StatusCount(*row) for row in rows]


def _messages(status: str | None, channel: str | None):
    query = select(M)
    if status in STATUSES:
        query = query.where(M.status == status)
    if channel in CHANNELS:
        query = query.where(M.channel == channel)
    return query


def recent_messages(*, status: str | None = None, channel: str | None = None,
                    limit: int = 50) -> list[M]:
    """The latest ``limit`` messages, newest first."""
    return list(db.session.scalars(_messages(status, channel).order_by(M.id.desc()).limit(limit)))


def messages_page(*, status: str | None = None, channel: str | None = None,
                  before: int | None = None, per_page: int = 50) -> Page:
    """A page of messages, newest first; ``before`` (a message id) pages on without OFFSET."""
    return paginate_keyset(_messages(status, channel), M.id, before, per_page)


def approve_held(ids: Iterable[int] | None = None) -> int:
    """Send held SMS despite the monthly budget: the given ids, or every held one (None)."""
    query = update(M).where(M.status == "held")
    if ids is not None:
        query = query.where(M.id.in_(list(ids)))
    now = utcnow()
    return _requeue(query.values(status="pending", approved_at=now, next_attempt_at=now,
                                 last_error=None))


def retry_failed(ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts. Bounced ones stay bounced (the address
    refused them), and a message whose hand-off was recorded keeps that mark, so the worker
    still treats its first outcome as in doubt rather than sending it twice."""
    query = update(M).where(M.status == "failed", M.id.in_(list(ids)))
    return _requeue(query.values(status="pending", attempts=0, next_attempt_at=utcnow(),
                                 last_error=None))


def resend_in_doubt(ids: Iterable[int]) -> int:
    """Send e-mails in doubt again, on purpose. The worker never does it by itself: the
    recipient may already have the message and would then get it twice. Clearing the hand-off
    mark is what lets the worker send it as new."""
    query = update(M).where(M.status == "in_doubt", M.id.in_(list(ids)))
    return _requeue(query.values(status="pending", attempts=0, handed_off_at=None,
                                 claim_token=None, next_attempt_at=utcnow(), last_error=None))


def _requeue(statement) -> int:
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    if result.rowcount:
        # Wake delivery for this municipality when the caller commits.
        wake_delivery_on_commit(current_tenant.id)
    return result.rowcount


def masked(recipient: str) -> str:
    """A recipient as operators see it: enough to recognise, not enough to harvest.

    ``nino.beridze@example.org`` → ``n***@example.org``; ``995599123456`` → ``9955******56``.
    """
    if "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return recipient[:4] + "*" * (len(recipient) - 6) + recipient[-2:]
