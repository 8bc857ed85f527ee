"""Where session documents live: files under the instance folder, text extracted for search."""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path

from flask import current_app

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
    """Plain text of text-like files (txt, html, subtitles); other formats index by title only.

    PDF and office formats need an extractor we do not ship yet; their title and the session
    remain searchable.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in TEXT_TYPES:
        return ""
    text = data.decode("utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())[:200_000]


def content_type(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return TEXT_TYPES.get(suffix) or {".pdf": "application/pdf"}.get(
        suffix, "application/octet-stream")
