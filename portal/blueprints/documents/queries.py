"""What the public sees of the register: published documents filtered by category, issuing
body and year, newest first; one document with its versions; a search page's documents by
id; the newest for the feeds. Lists load the versions without their text, in one statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, selectinload

from portal.blueprints.documents.models import CATEGORIES, ISSUERS, DocumentVersion, PublicDocument
from portal.extensions import db

YEARS = 30


def _with_versions():
    return selectinload(PublicDocument.versions).options(defer(DocumentVersion.text))


def listed(category: str | None = None, issuer: str | None = None, year: int | None = None) -> Select:
    statement = select(PublicDocument).where(PublicDocument.is_published.is_(True))
    if category in CATEGORIES:
        statement = statement.where(PublicDocument.category == category)
    if issuer in ISSUERS:
        statement = statement.where(PublicDocument.issuer == issuer)
    if year:
        statement = statement.where(PublicDocument.adopted_on >= date(year, 1, 1),
                                    PublicDocument.adopted_on <= date(year, 12, 31))
    return (statement.options(_with_versions())
            .order_by(PublicDocument.adopted_on.desc(), PublicDocument.id.desc()))


def years() -> list[int]:
    first, last = db.session.execute(
        select(func.min(PublicDocument.adopted_on), func.max(PublicDocument.adopted_on))
        .where(PublicDocument.is_published.is_(True))).one()
    if first is None:
        return []
    return list(range(last.year, max(first.year, last.year - YEARS) - 1, -1))


def public_document(document_id: int) -> PublicDocument | None:
    return db.session.scalar(
        select(PublicDocument).where(PublicDocument.id == document_id,
                                     PublicDocument.is_published.is_(True))
        .options(_with_versions()))


def public_version(document_id: int, version_id: int) -> DocumentVersion | None:
    return db.session.scalar(
        select(DocumentVersion).join(PublicDocument)
        .where(DocumentVersion.document_id == document_id, DocumentVersion.id == version_id,
               PublicDocument.is_published.is_(True)).options(defer(DocumentVersion.text)))


def by_ids(ids: list[int]) -> dict[int, PublicDocument]:
    """Published documents of this municipality by id (a search page's groups)."""
    if not ids:
        return {}
    rows = db.session.scalars(select(PublicDocument).where(
        PublicDocument.id.in_(ids), PublicDocument.is_published.is_(True)).options(_with_versions()))
    return {row.id: row for row in rows}


def newest(limit: int, category: str | None = None) -> list[PublicDocument]:
    statement = listed(category=category).order_by(None).order_by(
        PublicDocument.published_at.desc(), PublicDocument.id.desc())
    return list(db.session.scalars(statement.limit(limit)))
