"""The shared upload check: types told by content, sizes, photo metadata stripped, server-made
names, and downloads that a browser never renders."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from portal.services import storage, uploads
from portal.services.uploads import UploadRefused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(data: bytes, name: str = "file.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _refusal(data: bytes, name: str = "file.pdf", **options) -> str:
    with force_locale("en"), pytest.raises(UploadRefused) as refused:
        uploads.check(_file(data, name), **options)
    assert refused.value.field == "attachment"
    with force_locale("en"):
        return str(refused.value)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg() -> bytes:
    """A JPEG's structure: JFIF, EXIF with a GPS note, XMP, a comment, tables, then the scan."""
    return (b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + _segment(0xE1, b"Exif\x00\x00GPS 42.15N 41.67E")
            + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Camera 1234</x:xmpmeta>")
            + _segment(0xFE, b"taken at home")
            + _segment(0xDB, b"\x00" + bytes(64))
            + b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
            + b"\x12\x34\x56\xff\x00\x78" + b"\xff\xd9")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png() -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + _chunk(b"tEXt", b"Author\x00Nino Beridze")
            + _chunk(b"eXIf", b"MM\x00*GPS 42.15N")
            + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + _chunk(b"IEND", b""))


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("პეტიციის დანართი")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _odt() -> bytes:
    return _zip({"mimetype": uploads.ODT.encode(), "content.xml": b"<office:document-content/>"})


def test_a_pdf_is_taken_and_keeps_its_name(ctx):
    checked = uploads.check(_file(PDF, "გეგმა.pdf"))
    assert (checked.mimetype, checked.name, checked.data) == (uploads.PDF, "გეგმა.pdf", PDF)


def test_the_type_comes_from_the_content_not_the_name(ctx):
    checked = uploads.check(_file(PDF, "photo.png"))
    assert checked.mimetype == uploads.PDF and checked.name == "photo.pdf"


@pytest.mark.parametrize("data, name", [
    (b"<html><script>alert(1)</script></html>", "letter.pdf"),
    (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100), "scan.pdf"),
    (b"GIF89a" + bytes(20), "picture.gif"),
    (_zip({"a.txt": b"hello"}), "archive.docx"),
    (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}), "sheet.docx"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "sheet.odt"),
])
def test_other_kinds_of_file_are_refused(ctx, data, name):
    assert "cannot be attached" in _refusal(data, name)


def test_empty_and_too_large_files_are_refused(ctx):
    assert "empty" in _refusal(b"")
    assert "larger than 1 MB" in _refusal(PDF + bytes(1024 * 1024), limit=1024 * 1024)


def test_word_and_opendocument_texts_are_told_apart_by_their_parts(ctx):
    assert uploads.check(_file(_docx(), "a.docx")).mimetype == uploads.DOCX
    assert uploads.check(_file(_odt(), "a.odt")).mimetype == uploads.ODT


def test_the_allowed_set_is_the_callers(ctx):
    assert "cannot be attached" in _refusal(PDF, allowed=frozenset({uploads.PNG, uploads.JPEG}))


def test_jpeg_loses_exif_xmp_and_comments_and_keeps_the_picture(ctx):
    original = _jpeg()
    checked = uploads.check(_file(original, "photo.jpeg"))
    assert checked.mimetype == uploads.JPEG and checked.name == "photo.jpeg"
    for secret in (b"GPS", b"Camera 1234", b"taken at home", b"Exif"):
        assert secret in original and secret not in checked.data
    assert checked.data.startswith(b"\xff\xd8\xff\xe0") and b"JFIF" in checked.data
    assert checked.data.endswith(original[original.index(b"\xff\xda"):])
    assert _segment(0xDB, b"\x00" + bytes(64)) in checked.data


def test_png_loses_its_text_and_exif_chunks(ctx):
    checked = uploads.check(_file(_png(), "map.png"))
    assert checked.mimetype == uploads.PNG
    assert b"Nino" not in checked.data and b"GPS" not in checked.data
    assert b"IHDR" in checked.data and b"IDAT" in checked.data and checked.data.endswith(
        _chunk(b"IEND", b""))


def test_a_damaged_picture_is_refused(ctx):
    truncated = b"\xff\xd8" + b"\xff\xe1\x40\x00Exif"
    assert "damaged" in _refusal(truncated, "photo.jpg")


def test_stored_under_a_server_made_name_and_sent_as_a_download(app, poti):
    checked = uploads.check(_file(PDF, "../../etc/<script>.pdf"))
    with app.test_request_context("/poti/"):
        key = uploads.store(checked, folder="poti/petitions")
        assert key.startswith("poti/petitions/") and key.endswith("_attachment.pdf")
        assert storage.read(key) == PDF
        response = uploads.download(key, mimetype=checked.mimetype, name=checked.name)
        response.direct_passthrough = False
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.mimetype == "application/pdf" and response.get_data() == PDF
        response.close()
    assert "/" not in checked.name and "<" not in checked.name
