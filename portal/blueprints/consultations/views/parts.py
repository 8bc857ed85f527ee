"""What consultations add to the municipality's sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.consultations.models import Consultation
from portal.extensions import db


def consultation_pages():
    yield "consultations.index", {}
    for consultation_id in db.session.scalars(
            select(Consultation.id).where(Consultation.is_published.is_(True)).order_by(Consultation.id.desc())):
        yield "consultations.show", {"consultation_id": consultation_id}
