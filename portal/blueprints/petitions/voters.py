"""Registered voters on a stated date, and the signature threshold derived from them.

The law asks for 1% of the voters registered in the municipality; the newest count (by the
date it was counted on) sets the threshold of petitions that open from then on.
"""

from __future__ import annotations

import math
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.petitions.models import VoterCount
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

#: Signatures needed per registered voter (1%).
SHARE = 0.01


def newest() -> VoterCount | None:
    """The current municipality's most recent voter count."""
    return db.session.scalars(
        select(VoterCount).order_by(VoterCount.counted_on.desc()).limit(1)).first()


def threshold_for(voters: int) -> int:
    """ceil(1% of ``voters``): 20,013 voters need 201 signatures."""
    return math.ceil(voters * SHARE - 1e-9)


def current_threshold() -> int | None:
    """The threshold from the newest count, or None when no count was recorded yet."""
    count = newest()
    return threshold_for(count.voters) if count else None


def set_voter_count(voters: int, counted_on: date, actor=None) -> VoterCount:
    """Record the voters registered on ``counted_on`` (replacing that date's figure), audited.

    Raises DomainError for a non-positive figure or a date in the future."""
    if not isinstance(voters, int) or voters < 1:
        raise DomainError(_l("The number of voters must be a positive whole number."),
                          field="voters")
    if counted_on > date.today():
        raise DomainError(_l("The count's date cannot be in the future."), field="counted_on")
    row = db.session.scalars(
        select(VoterCount).where(VoterCount.counted_on == counted_on)).first()
    before = {"voters": row.voters} if row else {}
    if row is None:
        row = VoterCount(voters=voters, counted_on=counted_on)
        db.session.add(row)
    row.voters = voters
    row.set_by_id = getattr(actor, "id", None)
    audit.record("petitions.voter_count_set", target=f"voters:{counted_on.isoformat()}",
                 before=before, after={"voters": voters, "counted_on": counted_on.isoformat()},
                 actor=actor)
    db.session.flush()
    return row
