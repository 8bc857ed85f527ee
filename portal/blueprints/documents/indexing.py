"""The register's documents in the archive's search index (one index for both, issue 15):
a published document is the group ``d<id>``, dated by its adoption, with the filter tokens
of its category and issuing body; its entries are its words (title, number, description) and
the current file's text. The archive's flush listener keeps them current (``touched``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from portal.blueprints.documents.models import DocumentVersion, PublicDocument
from portal.blueprints.sessions.shared_search import (
    GroupSource,
    IndexedGroup,
    IndexedText,
    register_source,
)

PREFIX = "d"


def category_token(category: str) -> str:
    return f"c{category}"


def issuer_token(issuer: str) -> str:
    return f"o{issuer}"


def build(conn: Connection, number: int) -> IndexedGroup | None:
    documents = PublicDocument.__table__
    row = conn.execute(select(documents).where(documents.c.id == number)).first()
    if row is None or not row.is_published:
        return None
    versions = DocumentVersion.__table__
    current = conn.execute(
        select(versions.c.text, versions.c.filename).where(versions.c.document_id == number)
        .order_by(versions.c.number.desc()).limit(1)).first()
    words = " ".join(filter(None, (row.title, row.title_en, row.number)))
    about = "\n".join(filter(None, (row.description, row.description_en))) or row.title
    texts = [IndexedText("document", words, about)]
    if current is not None and current.text:
        texts.append(IndexedText("file", current.filename, current.text))
    return IndexedGroup(row.tenant_id, row.adopted_on,
                        (category_token(row.category), issuer_token(row.issuer)), texts)


def touched(obj) -> Iterable[int]:
    if isinstance(obj, PublicDocument) and obj.id is not None:
        return (obj.id,)
    if isinstance(obj, DocumentVersion) and obj.document_id is not None:
        return (obj.document_id,)
    return ()


def numbers(conn: Connection) -> Iterable[int]:
    return conn.execute(select(PublicDocument.__table__.c.id)).scalars()


def register() -> None:
    register_source(GroupSource(PREFIX, build, touched, numbers))
