"""Verbs on the register: write a document, add a file version, publish and unpublish it,
read a pending version's text (the job's verb). They flush, never commit (``extract_pending``
commits before the parser runs, like the archive's), and raise ``DocumentError`` or
``uploads.UploadRefused`` with the form field the refusal is about; the views audit and commit.

A PDF or office file's text is read by the job worker (``extract_register_text``, queued when
the upload commits) in the bounded child process of ``services/text.py``; the search index
(the archive's, group ``d<id>``) takes it at that flush.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.documents.models import CATEGORIES, ISSUERS, DocumentVersion, PublicDocument
from portal.db import on_commit, utcnow
from portal.extensions import db
from portal.services import storage, uploads
from portal.services.errors import DomainError
from portal.services.text import ExtractionFailed, extract_text, needs_worker, read_text
from portal.tenancy import current_tenant

log = logging.getLogger("portal.documents")
#: Largest file taken (the app's MAX_CONTENT_LENGTH allows it).
MAX_BYTES = 10 * 1024 * 1024
STALE_AFTER = timedelta(minutes=10)
STALE_BATCH = 5
REFUSAL = _l("This kind of file cannot be added to the register. Upload a PDF, a Word or "
             "OpenDocument text (DOCX, ODT) or a spreadsheet (XLSX, ODS).")


class DocumentError(DomainError):
    """A register rule refused the change."""


def document_values(document: PublicDocument) -> dict:
    """What the audit log keeps of a document."""
    return {"title": document.title, "title_en": document.title_en, "category": document.category,
            "issuer": document.issuer, "number": document.number,
            "adopted_on": document.adopted_on.isoformat() if document.adopted_on else None,
            "is_published": document.is_published}


def version_values(version: DocumentVersion) -> dict:
    return {"version": version.number, "filename": version.filename, "size": version.size,
            "mimetype": version.mimetype}


def save_document(document: PublicDocument | None, *, title: str, title_en: str = "",
                  category: str, issuer: str, number: str = "", adopted_on: date | None,
                  description: str = "", description_en: str = "") -> PublicDocument:
    """Create (a draft) or change a document's description."""
    title = (title or "").strip()
    if not title:
        raise DocumentError(_l("Give the document a title in Georgian."), "title")
    if category not in CATEGORIES:
        raise DocumentError(_l("Choose a category from the list."), "category")
    if issuer not in ISSUERS:
        raise DocumentError(_l("Choose who issued the document."), "issuer")
    if adopted_on is None:
        raise DocumentError(_l("Give the date the document was adopted or issued."), "adopted_on")
    if not date(1990, 1, 1) <= adopted_on <= date.today() + timedelta(days=366):
        raise DocumentError(_l("Give a date between 1990 and next year."), "adopted_on")
    if document is None:
        document = PublicDocument()
        db.session.add(document)
    document.title, document.title_en = title[:300], (title_en or "").strip()[:300]
    document.category, document.issuer = category, issuer
    document.number = (number or "").strip()[:60]
    document.adopted_on = adopted_on
    document.description = (description or "").strip()
    document.description_en = (description_en or "").strip()
    document.updated_at = utcnow()
    db.session.flush()
    return document


def add_version(document: PublicDocument, upload, *, note: str = "",
                read_now: bool = False) -> DocumentVersion:
    """A new file of ``document`` (checked by its content: PDF, DOCX, ODT, XLSX, ODS); it
    becomes the current one, the older ones stay. Its text is read by the job worker once the
    upload commits (``read_now``: here, in the bounded child process; the demo loader).
    Raises ``UploadRefused`` on the field ``file``."""
    checked = uploads.check(upload, allowed=uploads.OFFICE, limit=MAX_BYTES, field="file",
                            refusal=REFUSAL)
    key = uploads.store(checked, f"{current_tenant.slug}/documents")
    last = db.session.scalar(select(func.max(DocumentVersion.number))
                             .where(DocumentVersion.document_id == document.id)) or 0
    later = needs_worker(checked.name) and not read_now
    version = DocumentVersion(document_id=document.id, number=last + 1, filename=checked.name,
                              mimetype=checked.mimetype, size=len(checked.data), storage_key=key,
                              note=(note or "").strip()[:300],
                              text_status="pending" if later else "ready",
                              text="" if later else extract_text(checked.name, checked.data))
    db.session.add(version)
    document.updated_at = utcnow()
    db.session.flush()
    if later:
        tenant_id, version_id = current_tenant.id, version.id
        on_commit(lambda: _queue_extraction(tenant_id, version_id),
                  key=("extract_register_text", version_id))
    return version


def publish(document: PublicDocument) -> bool:
    """Show it to visitors (and in the search); it needs a file first. True when this is its
    first publication (the editors' page then announces it to subscribers)."""
    if not db.session.scalar(select(func.count(DocumentVersion.id))
                             .where(DocumentVersion.document_id == document.id)):
        raise DocumentError(_l("Upload the document's file before publishing it."), "file")
    first = document.published_at is None
    document.is_published = True
    document.published_at = document.published_at or utcnow()
    document.updated_at = utcnow()
    db.session.flush()
    return first


def unpublish(document: PublicDocument) -> None:
    """Take it off the public register (and out of the search); its files stay."""
    document.is_published = False
    document.updated_at = utcnow()
    db.session.flush()


def extract_pending(version_id: int) -> str:
    """Read a pending version's text within the extraction limits; "ready" or "failed".
    Idempotent; commits before the parser runs (no transaction open meanwhile)."""
    version = _pending(version_id)
    if version is None:
        return "nothing to do"
    filename, key = version.filename, version.storage_key
    db.session.commit()
    try:
        text, status = read_text(filename, storage.read(key)), "ready"
    except (ExtractionFailed, OSError) as failed:
        log.warning("text extraction failed for register version %s (%s): %s", version_id,
                    filename, failed)
        text, status = "", "failed"
    version = _pending(version_id)
    if version is None:
        return "nothing to do"
    version.text, version.text_status = text, status
    version.document.updated_at = utcnow()  # the search index rebuilds the document's group
    db.session.flush()
    return status


def stale_pending(limit: int = STALE_BATCH) -> list[int]:
    """Versions pending for longer than ``STALE_AFTER`` (their job was lost)."""
    cutoff = utcnow() - STALE_AFTER
    return list(db.session.scalars(
        select(DocumentVersion.id).where(DocumentVersion.text_status == "pending",
                                         DocumentVersion.created_at < cutoff)
        .order_by(DocumentVersion.id).limit(limit)))


def _pending(version_id: int) -> DocumentVersion | None:
    from sqlalchemy.orm import selectinload

    return db.session.scalar(select(DocumentVersion).where(
        DocumentVersion.id == version_id, DocumentVersion.text_status == "pending")
        .options(selectinload(DocumentVersion.document)))


def _queue_extraction(tenant_id: int, version_id: int) -> None:
    from portal.jobs import enqueue

    try:
        enqueue("extract_register_text", tenant_id=tenant_id, document_version_id=version_id)
    except Exception:  # noqa: BLE001 - the upload is committed; the text can follow later
        log.exception("could not queue text extraction of register version %s", version_id)
