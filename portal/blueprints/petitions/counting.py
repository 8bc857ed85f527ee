"""The public count: confirmed signatures added to ``Petition.signature_count`` in batches.

One job (``tasks.count_signatures``) does it for a municipality, under a lock, so a crowd
signing and confirming never makes each request update the petition's row: the count lags by
at most a run. ``reconcile`` lists petitions whose count differs from their confirmed rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update

from portal.blueprints.petitions.models import Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import current_tenant

#: Signatures counted per transaction.
BATCH = 500
#: First half of the PostgreSQL advisory lock key (the second is the municipality's id).
LOCK_CLASS = 12_0001


def take_lock() -> bool:
    """Take this municipality's counting lock for the current transaction; False if another
    transaction holds it.

    PostgreSQL: a transaction-level advisory lock (``pg_try_advisory_xact_lock``), released by
    the commit. SQLite: a writing transaction already holds the database's write lock
    (``BEGIN IMMEDIATE``, ``portal/db.py``), so no second counter can run beside it.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.execute(
        text("SELECT pg_try_advisory_xact_lock(:class_, :tenant)"),
        {"class_": LOCK_CLASS, "tenant": current_tenant.id},
    ).scalar())


def count_batch(batch: int = BATCH, now: datetime | None = None) -> int:
    """Count up to ``batch`` confirmed, uncounted signatures; flushes. Returns how many.

    The caller holds the lock (``take_lock``)."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Signature.id, Signature.petition_id)
        .where(Signature.confirmed_at.is_not(None), Signature.counted_at.is_(None),
               Signature.invalidated_at.is_(None))
        .order_by(Signature.id).limit(batch)
    ).all()
    if not rows:
        return 0
    db.session.execute(
        update(Signature).where(Signature.id.in_([r.id for r in rows]))
        .values(counted_at=now).execution_options(synchronize_session=False))
    for petition_id, added in sorted(Counter(r.petition_id for r in rows).items()):
        db.session.execute(
            update(Petition).where(Petition.id == petition_id)
            .values(signature_count=Petition.signature_count + added)
            .execution_options(synchronize_session=False))
    db.session.flush()
    return len(rows)


def count_confirmed(*, batch: int = BATCH, checkpoint: Callable[[], None] | None = None,
                    now: datetime | None = None) -> int | None:
    """Count every confirmed, uncounted signature of the current municipality, batch by batch.

    ``checkpoint`` (the job passes ``db.session.commit``) ends each batch's transaction; the
    lock is taken again for the next. Returns how many were counted, or None when another
    counter held the lock (nothing done; the next run catches up).
    """
    total = 0
    while True:
        if not take_lock():
            return None if total == 0 else total
        counted = count_batch(batch, now)
        total += counted
        if checkpoint is not None:
            checkpoint()
        if counted < batch:
            return total


@dataclass(frozen=True)
class Mismatch:
    petition_id: int
    signature_count: int
    confirmed: int


def reconcile() -> list[Mismatch]:
    """Petitions of the current municipality whose public count differs from their confirmed
    signatures (invalidated ones left out). Run right after a count (``tasks.reconcile_signature_counts`` does), since
    signatures confirmed since the last run are not counted yet."""
    confirmed = dict(db.session.execute(
        select(Signature.petition_id, func.count())
        .where(Signature.confirmed_at.is_not(None), Signature.invalidated_at.is_(None))
        .group_by(Signature.petition_id)
    ).all())
    petitions = db.session.execute(
        select(Petition.id, Petition.signature_count).order_by(Petition.id)).all()
    return [Mismatch(p.id, p.signature_count, confirmed.get(p.id, 0)) for p in petitions
            if p.signature_count != confirmed.get(p.id, 0)]
