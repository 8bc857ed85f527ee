"""Claim due messages in batches (what happens to each is recorded by ``ledger.py``).

Claiming: ``SELECT ... FOR UPDATE SKIP LOCKED`` then ``UPDATE`` on PostgreSQL, so concurrent
workers take disjoint batches without waiting; on SQLite one ``UPDATE ... WHERE id IN (SELECT
... LIMIT n)`` (SQLite has one writer at a time, so the statement is the claim). The claim is
the first statement of its transaction (see ``ledger.py`` on SQLite write locks).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from portal.db import utcnow
from portal.delivery.models import OPEN_STATUSES
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db
from portal.tenancy import current_tenant

#: The columns a worker needs to send; claimed rows are read as plain tuples, never kept as
#: ORM objects, so memory stays flat however many messages pass through.
FIELDS = (M.id, M.recipient, M.locale, M.subject, M.body_text, M.body_html, M.unsubscribe_url,
          M.idempotency_key, M.attempts, M.handed_off_at, M.cost_tetri, M.approved_at,
          M.secret_sealed)


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    locale: str
    subject: str | None
    body_text: str
    body_html: str | None
    unsubscribe_url: str | None
    idempotency_key: str
    attempts: int
    handed_off_at: datetime | None
    cost_tetri: int | None
    approved_at: datetime | None
    #: An account e-mail's link token, encrypted (``sealing.py``).
    secret_sealed: str | None
    token: str


def _due(channel: str, now: datetime, after_id: int):
    return and_(
        M.tenant_id == current_tenant.id,
        M.id > after_id,
        M.channel == channel,
        M.status.in_(OPEN_STATUSES),  # the partial index ix_outbox_messages_open
        or_(
            and_(M.status == "pending", M.next_attempt_at <= now),
            and_(M.status == "sending", M.lease_until < now),  # a worker died holding it
        ),
    )


def claim_batch(channel: str, limit: int, lease_seconds: float,
                after_id: int = 0) -> list[Claimed]:
    """Take up to ``limit`` due messages of the current municipality with ids above
    ``after_id`` (one drain passes over the outbox once), oldest first; commits the claim."""
    db.session.commit()  # start from a fresh transaction: the claim must be its first write
    now = utcnow()
    token = uuid.uuid4().hex
    values = {"status": "sending", "claim_token": token,
              "lease_until": now + timedelta(seconds=lease_seconds), "attempts": M.attempts + 1}
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.execute(
            select(M.id).where(_due(channel, now, after_id)).order_by(M.id).limit(limit)
            .with_for_update(skip_locked=True)
        ).scalars().all()
        if ids:
            db.session.execute(update(M).where(M.id.in_(ids)).values(**values),
                               execution_options={"synchronize_session": False})
    else:
        ids_query = select(M.id).where(_due(channel, now, after_id)).order_by(M.id).limit(limit)
        db.session.execute(
            update(M).where(M.id.in_(ids_query.scalar_subquery()), _due(channel, now, after_id))
            .values(**values),
            execution_options={"synchronize_session": False},
        )
    db.session.commit()
    rows = db.session.execute(select(*FIELDS).where(M.claim_token == token).order_by(M.id)).all()
    db.session.commit()
    return [Claimed(*row, token=token) for row in rows]


def backoff(attempts: int, base: float, cap: float = 3600.0) -> float:
    """base, 2·base, 4·base, ... seconds, at most ``cap``."""
    return min(cap, base * 2 ** max(0, attempts - 1))


def next_due_in() -> float | None:
    """Seconds until the current municipality's next message falls due (a retry or an
    expired lease), or None when nothing is waiting."""
    now = utcnow()
    pending, leased = db.session.execute(
        select(
            func.min(M.next_attempt_at).filter(M.status == "pending"),
            func.min(M.lease_until).filter(M.status == "sending"),
        # Named so the partial index of open messages serves it: without it, every wake-up
        # read all of the municipality's sent messages (79 ms at 14,000 in the soak).
        ).where(M.tenant_id == current_tenant.id, M.status.in_(OPEN_STATUSES))
    ).one()
    db.session.commit()
    times = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in (pending, leased) if t]
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())
