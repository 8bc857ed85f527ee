"""A session's documents (agenda, minutes, decisions): what the archive accepts, storing a file
with its searchable text, and removing it again. Like ``services``: flush, never commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.blueprints.sessions import storage
from portal.blueprints.sessions.models import DOCUMENT_KINDS, CouncilSession, Document
from portal.blueprints.sessions.services import ArchiveError, check_choice
from portal.extensions import db
from portal.tenancy import current_tenant

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
    document = Document(session_id=session.id, kind=kind, title=title.strip() or safe,
                        filename=safe, storage_path=relative, size=len(data),
                        content_type=storage.content_type(safe),
                        text=storage.extract_text(safe, data))
    db.session.add(document)
    db.session.flush()
    return document


def delete_document(document: Document) -> None:
    """Remove a document; its file goes once the transaction commits."""
    storage.unlink_on_commit(document.storage_path)
    db.session.delete(document)
    db.session.flush()
