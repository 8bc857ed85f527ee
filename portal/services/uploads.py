"""Files people upload (a petition's attachment; letters and grant applications next):
checked by their content, stripped of photo metadata, stored under a name the server makes,
and sent back only as downloads.

    checked = uploads.check(request.files["attachment"], allowed=uploads.DOCUMENTS)
    key = uploads.store(checked, folder=f"{tenant.slug}/petitions")
    ...
    return uploads.download(key, mimetype=row.attachment_type, name=row.attachment_name)

``check`` refuses (``UploadRefused``, a ``DomainError`` on the form's file field) a file that
is empty, over ``limit`` bytes, or whose bytes are not one of ``allowed`` whatever its name says
(the ``filetype`` library reads the magic numbers; ODT and DOCX, both ZIP archives, are told
apart by the parts inside). JPEG and PNG lose EXIF (GPS position, camera serial), XMP, IPTC
and text chunks: the segments are dropped byte for byte, no re-encoding, so no image library
is needed. ``download`` answers with ``Content-Disposition: attachment`` and ``nosniff``, so
a browser never renders an uploaded file as a page of the portal.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import Response
from flask_babel import lazy_gettext as _l

from portal.services import storage
from portal.services.errors import DomainError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The stored file's extension, by type.
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", ODT: "odt", DOCX: "docx", ODS: "ods",
              XLSX: "xlsx"}
#: What a document upload may be: papers and scans.
DOCUMENTS = frozenset({PDF, PNG, JPEG, ODT, DOCX})
#: Office papers and tables, no pictures (the documents register).
OFFICE = frozenset({PDF, ODT, DOCX, ODS, XLSX})
#: The default largest upload (the app's MAX_CONTENT_LENGTH must allow it and the form).
LIMIT = 10 * 1024 * 1024


class UploadRefused(DomainError):
    """The file cannot be taken; the message says why, on the form's file field."""


@dataclass(frozen=True)
class Checked:
    """A file that passed ``check``: its bytes (metadata stripped), type, and the name the
    person gave it (made safe; shown and offered as the download's name only)."""

    data: bytes
    mimetype: str
    name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mimetype]


def check(upload, *, allowed: frozenset[str] = DOCUMENTS, limit: int = LIMIT,
          field: str = "attachment", refusal=None) -> Checked:
    """Read ``upload`` (a werkzeug ``FileStorage``) and return it checked; raises UploadRefused
    (``refusal``: the words for a file of another type, when ``allowed`` is not DOCUMENTS)."""
    data = upload.stream.read(limit + 1)
    if not data:
        raise UploadRefused(_l("The file is empty."), field=field)
    if len(data) > limit:
        raise UploadRefused(_l("The file is larger than %(size)s MB. Choose a smaller file.",
                               size=limit // (1024 * 1024)), field=field)
    mimetype = kind_of(data)
    if mimetype not in allowed:
        raise UploadRefused(refusal or _l("This kind of file cannot be attached. Attach a PDF, a picture "
                               "(PNG or JPEG) or a text document (ODT or DOCX)."), field=field)
    try:
        data = strip_metadata(data, mimetype)
    except ValueError:
        raise UploadRefused(_l("The picture is damaged and cannot be attached."),
                            field=field) from None
    name = storage.safe_name(upload.filename or "")
    if Path(name).suffix.lower().lstrip(".") not in {EXTENSIONS[mimetype], "jpeg"}:
        name = f"{Path(name).stem or 'document'}.{EXTENSIONS[mimetype]}"
    return Checked(data=data, mimetype=mimetype, name=name[:200])


def kind_of(data: bytes) -> str | None:
    """The file's type from its bytes (one of EXTENSIONS' keys), or None."""
    guess = filetype.guess_mime(data)
    if guess in (PDF, PNG, JPEG):
        return guess
    if guess in (ODT, DOCX, ODS, XLSX, "application/zip"):
        return _zipped_document(data)
    return None


def _zipped_document(data: bytes) -> str | None:
    # ODT says what it is in its first member; DOCX has its main part. Only the names and a
    # few bytes are read: nothing is unpacked, so a ZIP bomb costs nothing here.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    said = member.read(100).strip()
                return next((kind for kind in (ODT, ODS) if said == kind.encode()), None)
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                return XLSX
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return None
    return None


def store(checked: Checked, folder: str) -> str:
    """Save the file under a server-made name in ``folder``; return its key. The file goes
    away again if the transaction rolls back."""
    key, _safe = storage.save(folder, f"attachment.{checked.extension}", checked.data)
    storage.unlink_on_rollback(key)
    return key


def download(key: str, *, mimetype: str, name: str) -> Response:
    """The stored file as a download, never rendered by the browser."""
    response = storage.send(key, mimetype=mimetype, download_name=name, as_attachment=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def strip_metadata(data: bytes, mimetype: str) -> bytes:
    """JPEG and PNG without their metadata; other types as they are. ValueError if damaged."""
    if mimetype == JPEG:
        return _strip_jpeg(data)
    if mimetype == PNG:
        return _strip_png(data)
    return data


#: JPEG segments kept before the image data: JFIF (APP0), ICC colour profile (APP2), Adobe
#: colour transform (APP14), and everything that is not an APPn or a comment.
_JPEG_KEPT_APPS = {0xE0, 0xE2, 0xEE}


def _strip_jpeg(data: bytes) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, pos = [data[:2]], 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("JPEG segment expected")
        marker = data[pos + 1] if pos + 1 < len(data) else None
        if marker is None:
            raise ValueError("truncated JPEG")
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan / end of image: the rest is data
            out.append(data[pos:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[pos:pos + 2])
            pos += 2
            continue
        if pos + 4 > len(data):
            raise ValueError("truncated JPEG")
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("bad JPEG segment length")
        is_metadata = (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APPS) or marker == 0xFE
        if not is_metadata:
            out.append(data[pos:end])
        pos = end
    raise ValueError("JPEG without image data")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG chunks that say things about the picture rather than draw it.
_PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out, pos = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if kind not in _PNG_METADATA:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("PNG without its end")
