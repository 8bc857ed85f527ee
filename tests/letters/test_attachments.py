"""A letter's attachments: up to three files sent with the public form (multipart, no
JavaScript needed), each checked by its content, not its name; refused files save nothing;
the writer downloads them from the tracking page and "my page", the recipient's staff from the
letter's page (a read of personal data on record); another municipality's are 404; the
anonymisation job deletes them and their files."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.blueprints.letters import anonymise, attachments
from portal.blueprints.letters.models import Letter, LetterAttachment
from portal.blueprints.letters.writing import code_hash, new_code
from portal.extensions import db
from portal.services import storage
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.letters.conftest import letters, outbox
from tests.letters.factories import PDF, make_attachment, make_letter
from tests.staff_fixtures import signed_in

FORM = {"full_name": "ნინო ბერიძე", "email": "nino@example.ge", "subject": "ქუჩის განათება",
        "text": "რუსთაველის რკალზე სამი ლამპიონი არ ანათებს."}
WRITE = "/poti/letters/mayor"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: A 1×1 PNG carrying its author's name in a text chunk (which the check drops).
PNG = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
       + _chunk(b"tEXt", b"Author\x00Nino Beridze") + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
       + _chunk(b"IEND", b""))
#: The start of a Windows program (MZ header, PE signature).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44) + b"PE\x00\x00" + bytes(64)


def _send(client, files, path=WRITE, headers=None, **values):
    """POST the form with ``files`` ((bytes, name) pairs), encoded here in memory: the test
    client would spool a large body to a temporary file it never closes."""
    page = client.get(path)
    fields = MultiDict({"csrf_token": csrf_token(page.text), **FORM, **values})
    for data, name in files:
        fields.add("attachments", FileStorage(io.BytesIO(data), name))
    boundary, body = encode_multipart(fields)
    return client.post(path, data=body, headers=headers or {},
                       content_type=f"multipart/form-data; boundary={boundary}")


def _rows(app, tenant) -> list[LetterAttachment]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(LetterAttachment).order_by(LetterAttachment.id)))


def _stored_files(app, tenant) -> list:
    with app.app_context():
        folder = storage.root() / tenant.slug / "letters"
        return sorted(folder.iterdir()) if folder.exists() else []


def _get(client, url):
    """A response read and closed (a file response holds the file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_the_form_takes_several_files_without_javascript(client, poti):
    page = client.get(WRITE).text
    assert 'enctype="multipart/form-data"' in page and 'hx-encoding="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="attachments"' in page and "multiple" in page


def test_files_are_told_by_content_and_the_writer_downloads_them(app, client, poti):
    client.set_cookie("lang", "en")
    response = _send(client, [(PNG, "scan.pdf"), (PDF, "გეგმა.pdf")])
    assert response.status_code == 303
    [letter] = letters(app, poti)
    png, pdf = _rows(app, poti)
    assert (png.name, png.mimetype) == ("scan.png", "image/png")  # a PNG, whatever its name said
    assert (pdf.name, pdf.mimetype, pdf.size) == ("გეგმა.pdf", "application/pdf", len(PDF))
    assert {png.letter_id, pdf.letter_id} == {letter.id}
    assert "scan" not in png.storage_path and png.storage_path.startswith("poti/letters/")
    with app.app_context():
        stored = storage.read(png.storage_path)
    assert stored.startswith(b"\x89PNG") and b"Nino Beridze" not in stored  # metadata dropped

    with app.app_context(), tenant_context(poti):
        # The code went only to the writer's mailbox (its hash is kept): give a known one.
        known = new_code()
        db.session.get(Letter, letter.id).tracking_hash = code_hash(known)
        db.session.commit()
    page = client.get(f"/poti/letters/track/{known}")
    link = f"/poti/letters/track/{known}/attachments/{pdf.id}"
    assert page.status_code == 200 and f'href="{link}"' in page.text and "გეგმა.pdf" in page.text
    download = _get(client, link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Referrer-Policy"] == "no-referrer"
    # The same page found with the code and the address links the same downloads.
    token = csrf_token(client.get("/poti/letters/track").text)
    found = client.post("/poti/letters/track", data={"csrf_token": token, "code": known.lower(),
                                                     "email": "nino@example.ge"})
    assert f'href="{link}"' in found.text
    assert _get(client, f"/poti/letters/track/{new_code()}/attachments/{pdf.id}").status_code == 404


@pytest.mark.parametrize(("files", "message"), [
    ([(EXE, "invoice.pdf")], "“invoice.pdf”: This kind of file cannot be attached."),
    ([(PDF, "a.pdf"), (b"%PDF-1.4\n" + bytes(attachments.LIMIT), "big.pdf")],
     "“big.pdf”: The file is larger than 5 MB."),
    ([(PDF, f"{n}.pdf") for n in range(4)], "Attach at most 3 files."),
    ([(b"", "empty.pdf")], "“empty.pdf”: The file is empty."),
    ([(b"", "")], None),  # what a browser sends when no file is chosen: the letter goes
])
def test_a_refused_file_saves_nothing_and_says_why(app, client, poti, files, message):
    client.set_cookie("lang", "en")
    files_before = _stored_files(app, poti)
    response = _send(client, files)
    if message is None:
        assert response.status_code == 303 and len(letters(app, poti)) == 1
        assert _rows(app, poti) == []
        return
    assert response.status_code == 422
    assert 'id="attachments-error"' in response.text and message in response.text
    assert 'aria-describedby="attachments-hint attachments-error"' in response.text
    assert 'value="ნინო ბერიძე"' in response.text  # what was typed stays
    assert letters(app, poti) == [] and outbox(app, poti) == [] and _rows(app, poti) == []
    assert _stored_files(app, poti) == files_before


def test_refusals_in_georgian_and_under_htmx(app, client, poti):
    response = _send(client, [(EXE, "ინვოისი.pdf")], headers=HTMX)
    assert response.status_code == 422 and "<html" not in response.text
    assert "„ინვოისი.pdf“" in response.text and "ასეთი ფაილის დართვა შეუძლებელია" in response.text
    assert letters(app, poti) == []
    assert _send(client, [(PDF, "გეგმა.pdf")], headers=HTMX).status_code == 204
    assert len(_rows(app, poti)) == 1


def test_a_body_over_the_request_limit_returns_to_the_form(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4000)
    client.set_cookie("lang", "en")
    response = _send(client, [(b"%PDF-1.4\n" + bytes(8000), "big.pdf")])
    assert response.status_code == 303 and response.headers["Location"].endswith(WRITE)
    assert "larger than 5 MB, so nothing was saved" in client.get(WRITE).text
    assert letters(app, poti) == []


def _audit(app, tenant) -> list[AuditEntry]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(AuditEntry)
                                       .where(AuditEntry.action == "read.letter_attachment")))


def test_staff_of_the_inbox_download_each_on_record(app, poti, abasha, mayors_office, clerk):
    letter_id, _code = make_letter(app, poti)
    attachment_id = make_attachment(app, poti, letter_id)
    other_id, _ = make_letter(app, poti, subject="სხვა")
    other_attachment = make_attachment(app, poti, other_id)
    base = f"/poti/admin/letters/mayor/{letter_id}"
    page = mayors_office.get(base).text
    assert f'href="{base}/attachments/{attachment_id}"' in page and "ფოტო.pdf" in page
    assert f"/attachments/{other_attachment}" not in page
    download = _get(mayors_office, f"{base}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download.headers["Cache-Control"]
    [entry] = _audit(app, poti)
    assert entry.target == f"letter:{letter_id}/attachment:{attachment_id}"
    assert entry.actor_email == "mayor-office@poti.example.org"
    # Another letter's attachment under this letter, the chair's inbox, the clerk: refused.
    assert _get(mayors_office, f"{base}/attachments/{other_attachment}").status_code == 404
    assert _get(mayors_office, f"/poti/admin/letters/chair/{letter_id}/attachments/"
                               f"{attachment_id}").status_code in (403, 404)
    assert _get(clerk, f"{base}/attachments/{attachment_id}").status_code == 403
    # Abasha's letter and attachment under Poti's inbox.
    abasha_letter, _ = make_letter(app, abasha)
    abasha_attachment = make_attachment(app, abasha, abasha_letter)
    assert _get(mayors_office, f"/poti/admin/letters/mayor/{abasha_letter}/attachments/"
                               f"{abasha_attachment}").status_code == 404
    assert _get(mayors_office, f"{base}/attachments/{abasha_attachment}").status_code == 404
    assert len(_audit(app, poti)) == 1


def test_another_municipality_s_attachments_are_404_to_writers(app, client, poti, abasha):
    letter_id, code = make_letter(app, abasha)
    attachment_id = make_attachment(app, abasha, letter_id)
    assert _get(client, f"/abasha/letters/track/{code}/attachments/{attachment_id}").status_code == 200
    assert _get(client, f"/poti/letters/track/{code}/attachments/{attachment_id}").status_code == 404
    assert _get(client, f"/poti/letters/mine/{letter_id}/attachments/{attachment_id}").status_code == 404


def test_a_signed_in_writer_downloads_their_own_from_my_page(app, poti, staff):
    writer = staff(poti, [], kind="citizen", password=None, enrolled=False, email="w@example.ge")
    letter_id, _ = make_letter(app, poti, author_id=writer.id)
    attachment_id = make_attachment(app, poti, letter_id)
    url = f"/poti/letters/mine/{letter_id}/attachments/{attachment_id}"
    anonymous = app.test_client()
    assert _get(anonymous, url).status_code == 303  # to sign-in
    client = app.test_client()
    signed_in(client, writer)
    assert f'href="{url}"' in client.get(f"/poti/letters/mine/{letter_id}").text
    download = _get(client, url)
    assert download.status_code == 200 and download.data == PDF
    stranger = staff(poti, [], kind="citizen", password=None, enrolled=False, email="s@example.ge")
    other = app.test_client()
    signed_in(other, stranger)
    assert _get(other, url).status_code == 404


def test_anonymisation_deletes_the_attachments_and_their_files(app, poti):
    now = datetime.now(UTC)
    old, _ = make_letter(app, poti, status="closed", closed_at=now - timedelta(days=400))
    fresh, _ = make_letter(app, poti, status="closed", closed_at=now - timedelta(days=3))
    gone = make_attachment(app, poti, old)
    kept = make_attachment(app, poti, fresh)
    paths = {row.id: row.storage_path for row in _rows(app, poti)}
    with app.app_context(), tenant_context(poti):
        assert anonymise.anonymise_closed(now) == 1
        db.session.commit()
        assert not storage.exists(paths[gone]) and storage.exists(paths[kept])
    assert [row.id for row in _rows(app, poti)] == [kept]


def test_a_rolled_back_letter_leaves_no_file(app, poti):
    letter_id, _ = make_letter(app, poti)
    with app.test_request_context(), tenant_context(poti):
        letter = db.session.get(Letter, letter_id)
        [checked] = attachments.check_all([FileStorage(io.BytesIO(PDF), "a.pdf")])
        [row] = attachments.attach(letter, [checked])
        key = row.storage_path
        assert storage.exists(key)
        db.session.rollback()
        assert not storage.exists(key)
