"""A petition's dated timeline as the staff and author pages read it."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.petitions.models import Petition, PetitionEvent
from portal.extensions import db


def timeline(petition: Petition) -> list[PetitionEvent]:
    """The petition's dated entries, oldest first."""
    return list(db.session.scalars(
        select(PetitionEvent).where(PetitionEvent.petition_id == petition.id)
        .order_by(PetitionEvent.occurred_at, PetitionEvent.id)))
