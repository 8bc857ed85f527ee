"""Where session documents live: files under the instance folder, text extracted for search."""

from __future__ import annotations

import html
import io
import re
import uuid
import zipfile
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db

TEXT_TYPES = {".txt": "text/plain", ".md": "text/plain", ".html": "text/html",
              ".htm": "text/html", ".vtt": "text/vtt", ".srt": "text/plain"}


def root() -> Path:
    return Path(current_app.instance_path) / "archive"


def save(tenant_slug: str, filename: str, data: bytes) -> tuple[str, str]:
    """Store ``data``; return (path relative to the archive root, safe display name)."""
    safe = safe_name(filename)
    relative = f"{tenant_slug}/{uuid.uuid4().hex[:12]}_{safe}"
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative, safe


def safe_name(filename: str) -> str:
    """A file name with no path, keeping Georgian letters (werkzeug's secure_filename drops
    every non-ASCII letter, so "ოქმი.txt" would become "txt")."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.-]+", "_", name).strip("._")[:120]
    return name or "document"


def path_of(relative: str) -> Path:
    target = (root() / relative).resolve()
    if root().resolve() not in target.parents:
        raise FileNotFoundError(relative)
    return target


def extract_text(filename: str, data: bytes) -> str:
    """Plain text of a document for the search index: PDF (pypdf), Word .docx (python-docx),
    and text-like files (txt, html, subtitles). Other formats index by title only.

    A file we cannot read (damaged, encrypted, a scan without a text layer) is still stored
    and stays findable by its title and session; the failure is logged, never raised.
    """
    suffix = Path(filename).suffix.lower()
    extractor = _EXTRACTORS.get(suffix)
    if extractor is None:
        return ""
    try:
        text = extractor(suffix, data)
    except Exception:  # noqa: BLE001 - third-party parsers raise many kinds on bad input
        current_app.logger.warning("could not extract the text of %s", filename, exc_info=True)
        return ""
    return " ".join(text.split())[:MAX_TEXT]


def _plain_text(suffix: str, data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def _pdf_text(suffix: str, data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        return ""
    pieces, size = [], 0
    # Stop early: the index keeps MAX_TEXT characters, and a 1,000-page annex would only
    # make the upload slow.
    for page in reader.pages[:MAX_PDF_PAGES]:
        piece = page.extract_text() or ""
        pieces.append(piece)
        size += len(piece)
        if size >= MAX_TEXT:
            break
    return "\n".join(pieces)


def _docx_text(suffix: str, data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def is_docx(data: bytes) -> bool:
    """A Word document: a ZIP archive with the main document part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


MAX_TEXT = 200_000
MAX_PDF_PAGES = 500
_EXTRACTORS = {**dict.fromkeys(TEXT_TYPES, _plain_text), ".pdf": _pdf_text, ".docx": _docx_text}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def content_type(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return TEXT_TYPES.get(suffix) or {".pdf": "application/pdf", ".docx": DOCX}.get(
        suffix, "application/octet-stream")


#: Session.info keys: stored files to remove once the transaction commits / rolls back.
UNLINK_ON_COMMIT = "archive_unlink_on_commit"
UNLINK_ON_ROLLBACK = "archive_unlink_on_rollback"


def unlink_on_commit(*paths: str) -> None:
    db.session.info.setdefault(UNLINK_ON_COMMIT, []).extend(p for p in paths if p)


def unlink_on_rollback(*paths: str) -> None:
    db.session.info.setdefault(UNLINK_ON_ROLLBACK, []).extend(p for p in paths if p)


def _unlink(paths) -> None:
    for relative in paths or ():
        try:
            path_of(relative).unlink(missing_ok=True)
        except (FileNotFoundError, OSError):
            pass


def _files_after_commit(session: Session) -> None:
    session.info.pop(UNLINK_ON_ROLLBACK, None)
    _unlink(session.info.pop(UNLINK_ON_COMMIT, None))


def _files_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint inside a larger transaction: the outcome is not known yet
    session.info.pop(UNLINK_ON_COMMIT, None)
    _unlink(session.info.pop(UNLINK_ON_ROLLBACK, None))


def install_file_hooks() -> None:
    """Remove stored files when the rows naming them are gone for good: deleted rows' files
    after the commit, files of uploads whose transaction rolled back after the rollback."""
    if not event.contains(Session, "after_commit", _files_after_commit):
        event.listen(Session, "after_commit", _files_after_commit)
        event.listen(Session, "after_soft_rollback", _files_after_rollback)
