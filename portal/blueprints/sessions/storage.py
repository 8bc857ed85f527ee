"""Where session documents live: files under the instance folder, text extracted for search."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

from flask import current_app, has_app_context

from portal.db import on_commit, on_rollback

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
    """Plain text of a document for the search index (``extraction.read_text``: PDF and Word
    in a bounded child process, text-like files in place); "" when it cannot be read.

    Uploads do not call this: their PDF and Word files are read by the job worker
    (``documents.extract_pending``), which also records a failure for the clerk.
    """
    from portal.blueprints.sessions.extraction import ExtractionFailed, read_text

    try:
        return read_text(filename, data)
    except ExtractionFailed as failed:
        if has_app_context():
            current_app.logger.warning("could not extract the text of %s: %s", filename, failed)
        return ""


def is_docx(data: bytes) -> bool:
    """A Word document: a ZIP archive with the main document part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def content_type(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return TEXT_TYPES.get(suffix) or {".pdf": "application/pdf", ".docx": DOCX}.get(
        suffix, "application/octet-stream")


def unlink_on_commit(*paths: str) -> None:
    """Remove these stored files once the transaction that deleted their rows commits."""
    for relative in filter(None, paths):
        on_commit(lambda r=relative: _unlink(r), key=("unlink", relative))


def unlink_on_rollback(*paths: str) -> None:
    """Remove these just-stored files if the transaction that names them rolls back."""
    for relative in filter(None, paths):
        on_rollback(lambda r=relative: _unlink(r), key=("unlink", relative))


def _unlink(relative: str) -> None:
    try:
        path_of(relative).unlink(missing_ok=True)
    except (FileNotFoundError, OSError):
        pass
