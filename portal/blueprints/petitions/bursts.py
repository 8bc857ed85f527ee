"""Bursts of signatures for the moderators: many signatures of one petition from one network
address (its keyed hash) or one e-mail domain within a 10-minute window, and invalidating a
burst's signatures (audited with counts; they leave the public count at once).

Windows are fixed 10-minute slots (``WINDOW``), counted in Python over the petition's rows
(one petition's signatures fit in memory), so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.blueprints.petitions import counting
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import aware, utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

WINDOW = timedelta(minutes=10)
#: Signatures in one window from one source that make a burst (the page may ask for fewer).
BURST_AT = 10
KINDS = ("address", "domain")

GONE = _l("This burst is no longer there: its signatures may already be invalidated.")
BUSY = _l("The public count is being updated right now; try again in a minute.")


@dataclass(frozen=True)
class Burst:
    kind: str           # "address" (keyed hash of the network address) or "domain"
    source: str         # the hash or the domain
    starts_at: datetime
    signature_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        """What the moderator's form sends back: kind, source and window."""
        return f"{self.kind}|{self.source}|{int(self.starts_at.timestamp())}"

    @property
    def size(self) -> int:
        return len(self.signature_ids)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + WINDOW


def find(petition: Petition, *, at_least: int = BURST_AT) -> list[Burst]:
    """The petition's bursts of at least ``at_least`` valid online signatures, biggest first."""
    rows = db.session.execute(
        select(Signature.id, Signature.address_hash, Signature.email_normalised,
               Signature.created_at)
        .where(Signature.petition_id == petition.id, Signature.invalidated_at.is_(None),
               Signature.is_paper.is_(False)).order_by(Signature.id)).all()
    groups: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    step = int(WINDOW.total_seconds())
    for row in rows:
        slot = int(aware(row.created_at).timestamp()) // step * step
        if row.address_hash:
            groups[("address", row.address_hash, slot)].append(row.id)
        domain = (row.email_normalised or "").rpartition("@")[2]
        if domain:
            groups[("domain", domain, slot)].append(row.id)
    bursts = [Burst(kind, source, datetime.fromtimestamp(slot, UTC), tuple(ids))
              for (kind, source, slot), ids in groups.items() if len(ids) >= max(2, at_least)]
    return sorted(bursts, key=lambda b: (-b.size, b.starts_at, b.kind, b.source))


def invalidate(petition: Petition, key: str, *, actor=None, now: datetime | None = None) -> int:
    """Invalidate the signatures of the burst ``key`` (``Burst.key``) that are still valid;
    the counted ones leave ``signature_count`` at once. Audited with the counts; flushes.
    Returns how many were invalidated. Raises DomainError for an unknown burst, or while the
    counting job holds the count (it would count them a second time otherwise)."""
    now = now or utcnow()
    kind, _, rest = key.partition("|")
    source, _, stamp = rest.rpartition("|")
    if kind not in KINDS or not source or not stamp.isdigit():
        raise DomainError(GONE)
    starts = datetime.fromtimestamp(int(stamp), UTC)
    burst = next((b for b in find(petition, at_least=2)
                  if (b.kind, b.source, b.starts_at) == (kind, source, starts)), None)
    if burst is None:
        raise DomainError(GONE)
    if not counting.take_lock():
        raise DomainError(BUSY)
    ids = list(burst.signature_ids)
    counted = db.session.scalar(select(func.count(Signature.id)).where(
        Signature.id.in_(ids), Signature.counted_at.is_not(None))) or 0
    db.session.execute(update(Signature).where(Signature.id.in_(ids))
                       .values(invalidated_at=now).execution_options(synchronize_session=False))
    before = petition.signature_count
    # The row is touched even when nothing counted left: the page's Last-Modified is the row's
    # (queries.public_petition_changed), and the page's latest signers change.
    db.session.execute(update(Petition).where(Petition.id == petition.id)
                       .values(signature_count=Petition.signature_count - counted,
                               updated_at=now)
                       .execution_options(synchronize_session=False))
    db.session.refresh(petition)
    audit.record("petitions.burst_invalidated", target=f"petition:{petition.id}",
                 before={"signature_count": before},
                 after={"signature_count": petition.signature_count, "invalidated": len(ids),
                        "counted": counted, "kind": kind,
                        "window": starts.isoformat()}, actor=actor)
    db.session.flush()
    return len(ids)
