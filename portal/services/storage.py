"""Where uploaded files live: one small interface (``FileStore``), one back end per place.

A stored file is named by its key, ``<folder>/<12 hex>_<safe name>`` (the folder is the
municipality's slug), which rows keep (``Document.storage_path``, ``Member.photo_path``). The
back end is chosen by ``PORTAL_FILE_STORE``: ``local`` (the default, and the only one so far)
keeps files under ``<instance>/archive/<key>``. An S3-compatible back end for production
implements the same five methods and is added to ``BACK_ENDS``; keys stay the same.

Stored files follow the transaction that names them: ``unlink_on_rollback`` for a file just
saved, ``unlink_on_commit`` for one whose row is deleted (``portal.db.on_commit``).
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Response, current_app, send_file

from portal.db import on_commit, on_rollback

TEXT_TYPES = {".txt": "text/plain", ".md": "text/plain", ".html": "text/html",
              ".htm": "text/html", ".vtt": "text/vtt", ".srt": "text/plain"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class FileStore(Protocol):
    """Files by key. A missing or malformed key raises ``FileNotFoundError`` (``exists``
    answers False; ``delete`` does nothing)."""

    def save(self, folder: str, filename: str, data: bytes) -> tuple[str, str]:
        """Store ``data``; return (its key, the safe display name)."""

    def open(self, key: str) -> BinaryIO: ...

    def send(self, key: str, *, mimetype: str, download_name: str | None = None,
             as_attachment: bool = False, max_age: int | None = None) -> Response:
        """The file as a response (conditional requests and ranges answered)."""

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


class LocalFileStore:
    """Files under a folder of this machine (the instance folder's ``archive/``)."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, key: str) -> Path:
        """The file's path; ``FileNotFoundError`` for a key that points outside the root."""
        target = (self.root / key).resolve()
        if self.root.resolve() not in target.parents:
            raise FileNotFoundError(key)
        return target

    def save(self, folder: str, filename: str, data: bytes) -> tuple[str, str]:
        safe = safe_name(filename)
        key = f"{folder}/{uuid.uuid4().hex[:12]}_{safe}"
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return key, safe

    def open(self, key: str) -> BinaryIO:
        return self.path_of(key).open("rb")

    def send(self, key: str, *, mimetype: str, download_name: str | None = None,
             as_attachment: bool = False, max_age: int | None = None) -> Response:
        return send_file(self.path_of(key), mimetype=mimetype, download_name=download_name,
                         as_attachment=as_attachment, max_age=max_age)

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        try:
            return self.path_of(key).is_file()
        except FileNotFoundError:
            return False


def _local(app) -> FileStore:
    return LocalFileStore(Path(app.instance_path) / "archive")


#: ``PORTAL_FILE_STORE`` → a factory of the back end for an app.
BACK_ENDS = {"local": _local}


def file_store() -> FileStore:
    """The app's file store (``PORTAL_FILE_STORE``, default ``local``)."""
    name = current_app.config.get("PORTAL_FILE_STORE") or "local"
    try:
        return BACK_ENDS[name](current_app)
    except KeyError:
        raise RuntimeError(f"PORTAL_FILE_STORE={name!r}: no such file store "
                           f"(known: {', '.join(BACK_ENDS)})") from None


def save(folder: str, filename: str, data: bytes) -> tuple[str, str]:
    """Store ``data`` in the app's store; return (its key, the safe display name)."""
    return file_store().save(folder, filename, data)


def read(key: str) -> bytes:
    with file_store().open(key) as stored:
        return stored.read()


def exists(key: str) -> bool:
    return file_store().exists(key)


def send(key: str, **options) -> Response:
    return file_store().send(key, **options)


def root() -> Path:
    """The local store's folder (tests look at the files in it)."""
    return Path(current_app.instance_path) / "archive"


def path_of(key: str) -> Path:
    """A key's path in the local store (tests look at the files in it)."""
    return LocalFileStore(root()).path_of(key)


def safe_name(filename: str) -> str:
    """A file name with no path, keeping Georgian letters (werkzeug's secure_filename drops
    every non-ASCII letter, so "ოქმი.txt" would become "txt")."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.-]+", "_", name).strip("._")[:120]
    return name or "document"


def is_docx(data: bytes) -> bool:
    """A Word document: a ZIP archive with the main document part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def content_type(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return TEXT_TYPES.get(suffix) or {".pdf": "application/pdf", ".docx": DOCX}.get(
        suffix, "application/octet-stream")


def unlink_on_commit(*keys: str) -> None:
    """Remove these stored files once the transaction that deleted their rows commits."""
    for key in filter(None, keys):
        on_commit(lambda k=key: _delete(k), key=("unlink", key))


def unlink_on_rollback(*keys: str) -> None:
    """Remove these just-stored files if the transaction that names them rolls back."""
    for key in filter(None, keys):
        on_rollback(lambda k=key: _delete(k), key=("unlink", key))


def _delete(key: str) -> None:
    try:
        file_store().delete(key)
    except OSError:  # FileNotFoundError included: a file already gone is what we wanted
        pass
