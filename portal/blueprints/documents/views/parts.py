"""What the register adds to the municipality's sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.documents.models import PublicDocument
from portal.extensions import db


def document_pages():
    yield "documents.index", {}
    for document_id in db.session.scalars(
            select(PublicDocument.id).where(PublicDocument.is_published.is_(True))
            .order_by(PublicDocument.id.desc())):
        yield "documents.show", {"public_document_id": document_id}
