"""A session's documents (agenda, minutes, decisions): what the archive accepts, storing a file
with its searchable text, and removing it again. Like ``services``: flush, never commit
(``extract_pending``, the job's verb, commits to keep no transaction open while a parser runs).

A PDF or Word file's text is read by the job worker, not at upload: the upload is stored
``pending`` and ``extract_document_text`` is queued once the upload commits.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.sessions.council.services import ArchiveError, check_choice
from portal.blueprints.sessions.models import DOCUMENT_KINDS, CouncilSession, Document
from portal.db import on_commit, utcnow
from portal.extensions import db
from portal.services import storage
from portal.services.text import ExtractionFailed, extract_text, needs_worker, read_text
from portal.tenancy import current_tenant

log = logging.getLogger("portal.archive")
#: A document still pending after this had its job lost; at most STALE_BATCH per sweep.
STALE_AFTER = timedelta(minutes=10)
STALE_BATCH = 5
#: Largest document a clerk may upload (PDF minutes with scans stay well below it).
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def check_document(filename: str, data: bytes) -> None:
    """The archive keeps PDF, Word (.docx) and text-like files (those ``storage`` knows a type
    of) up to ``DOCUMENT_MAX_BYTES``; a PDF or .docx must really be one, a text file UTF-8."""
    if not data:
        raise ArchiveError(_l("The file is empty."), "file")
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ArchiveError(_l("The file is larger than %(size)s MB.",
                              size=DOCUMENT_MAX_BYTES // (1024 * 1024)), "file")
    name = storage.safe_name(filename or "")
    kind = storage.content_type(name)
    if kind == "application/octet-stream":
        raise ArchiveError(_l("Upload a PDF, a Word (.docx) or a text file (txt, html, vtt, srt)."),
                           "file")
    if kind == "application/pdf" and not data.startswith(b"%PDF-"):
        raise ArchiveError(_l("This file is not a PDF document."), "file")
    if kind == storage.DOCX and not storage.is_docx(data):
        raise ArchiveError(_l("This file is not a Word (.docx) document."), "file")
    if kind.startswith("text/"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArchiveError(_l("A text file must be encoded in UTF-8."), "file") from exc


def add_document(session: CouncilSession, filename: str, data: bytes, *, kind: str = "other",
                 title: str = "") -> Document:
    """Store a file of a session (agenda, minutes, decision); its text becomes searchable.

    Raises ``ArchiveError`` for an unknown kind or a file ``check_document`` refuses; the
    stored file is removed again if the transaction rolls back.
    """
    check_choice(kind, DOCUMENT_KINDS, _l("Unknown kind of document."), "kind")
    check_document(filename, data)
    if len((title or "").strip()) > 300:
        raise ArchiveError(_l("The title is too long."), "title")
    relative, safe = storage.save(current_tenant.slug, filename, data)
    storage.unlink_on_rollback(relative)
    later = needs_worker(safe)
    document = Document(session_id=session.id, kind=kind, title=title.strip() or safe,
                        filename=safe, storage_path=relative, size=len(data),
                        content_type=storage.content_type(safe),
                        text="" if later else extract_text(safe, data),
                        text_status="pending" if later else "ready")
    db.session.add(document)
    db.session.flush()
    if later:
        tenant_id, document_id = current_tenant.id, document.id
        on_commit(lambda: _queue_extraction(tenant_id, document_id),
                  key=("extract_document_text", document_id))
    return document


def extract_pending(document_id: int) -> str:
    """Read a pending document's text within the extraction limits; its status becomes
    "ready" or "failed" and the search index follows at the flush. Idempotent: a document
    that is gone or no longer pending is left alone. Returns the status (for the job's log).

    Commits before the parser runs, so no transaction (on SQLite: no write lock) stays open
    for the up to ``ARCHIVE_EXTRACT_SECONDS`` it may take.
    """
    document = _pending(document_id)
    if document is None:
        return "nothing to do"
    filename, path = document.filename, document.storage_path
    db.session.commit()
    try:
        text, status = read_text(filename, storage.read(path)), "ready"
    except (ExtractionFailed, OSError) as failed:
        log.warning("text extraction failed for document %s (%s): %s", document_id, filename,
                    failed)
        text, status = "", "failed"
    document = _pending(document_id)  # deleted or done meanwhile: keep what is there
    if document is None:
        return "nothing to do"
    document.text, document.text_status = text, status
    db.session.flush()
    return status


def stale_pending(limit: int = STALE_BATCH) -> list[int]:
    """Documents pending for longer than ``STALE_AFTER``: their job was lost (a killed worker,
    an unreachable queue at upload), so the periodic sweep reads them."""
    cutoff = utcnow() - STALE_AFTER
    return list(db.session.scalars(
        select(Document.id).where(Document.text_status == "pending", Document.created_at < cutoff)
        .order_by(Document.id).limit(limit)))


def _pending(document_id: int) -> Document | None:
    return db.session.scalar(select(Document).where(
        Document.id == document_id, Document.text_status == "pending"))


def delete_document(document: Document) -> None:
    """Remove a document; its file goes once the transaction commits."""
    storage.unlink_on_commit(document.storage_path)
    db.session.delete(document)
    db.session.flush()


def _queue_extraction(tenant_id: int, document_id: int) -> None:
    from portal.jobs import enqueue

    try:
        enqueue("extract_document_text", tenant_id=tenant_id, document_id=document_id)
    except Exception:  # noqa: BLE001 - the upload is committed; the text can follow later
        log.exception("could not queue text extraction of document %s", document_id)
