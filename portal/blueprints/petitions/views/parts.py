"""What petitions add to the municipality's home page and to its sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.petitions import queries
from portal.blueprints.petitions.models import Petition
from portal.extensions import db


def petitions_home() -> dict:
    """The newest three petitions collecting signatures."""
    return {"open": queries.newest_open(3), "progress": queries.progress}


def petition_pages():
    yield "petitions.index", {}
    for petition_id in db.session.scalars(
            select(Petition.id).where(Petition.status.in_(queries.PUBLIC_STATUSES))
            .order_by(Petition.id.desc())):
        yield "petitions.show", {"petition_id": petition_id}
