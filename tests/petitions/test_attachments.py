"""The petition form's optional attachment: checked by content, kept under a server-made name,
downloadable by the author and the moderators at any stage and by everyone once published."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.blueprints.petitions.models import Petition
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.authors import citizen
from tests.staff_fixtures import signed_in

BASE = "/poti/petitions/mine"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALUES = {"title": "ქუჩის განათება", "form": "request_to_discuss",
          "text": "ჭავჭავაძის ქუჩა ბნელია.", "requested_action": "დაამონტაჟოს სანათები",
          "action": "draft"}


@pytest.fixture
def author(app):
    return citizen(app, "author@example.ge")


def _post(client, url, data, files=None):
    body = {**data, "csrf_token": csrf_token(client.get(f"{BASE}/new").text)}
    for name, (content, filename) in (files or {}).items():
        body[name] = (io.BytesIO(content), filename)
    return client.post(url, data=body, content_type="multipart/form-data")


def _get(client, url):
    """A download's response, read and closed (a file response holds the file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _petitions(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Petition).order_by(Petition.id)).all()


def test_the_form_takes_files_without_javascript(app, poti, author):
    page = author[1].get(f"{BASE}/new").text
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page


def test_a_pdf_is_attached_and_only_the_author_and_moderators_get_it_before_publication(
        app, poti, author, staff):
    user, client = author
    response = _post(client, f"{BASE}/new", VALUES, {"attachment": (PDF, "გეგმა.pdf")})
    assert response.status_code == 303
    [petition] = _petitions(app, poti)
    assert (petition.attachment_name, petition.attachment_type) == ("გეგმა.pdf", "application/pdf")
    assert "გეგმა" not in petition.attachment_path and petition.attachment_path.endswith(".pdf")
    with app.app_context():
        assert storage.read(petition.attachment_path) == PDF

    download = _get(client, f"{BASE}/{petition.id}/attachment")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    stranger = citizen(app, "stranger@example.ge")[1]
    assert stranger.get(f"{BASE}/{petition.id}/attachment").status_code == 404
    assert app.test_client().get(f"/poti/petitions/{petition.id}/attachment").status_code == 404
    assert app.test_client().get(f"/abasha/petitions/mine/{petition.id}/attachment").status_code == 404
    moderator = app.test_client()
    signed_in(moderator, staff(poti, ["moderator"]))
    staff_copy = _get(moderator, f"/poti/admin/petitions/moderation/{petition.id}/attachment")
    assert staff_copy.status_code == 200 and staff_copy.data == PDF

    with app.app_context(), tenant_context(poti):
        now = datetime.now(UTC)
        db.session.execute(update(Petition).where(Petition.id == petition.id).values(
            status="collecting", threshold=201, collection_opens_at=now - timedelta(days=1),
            collection_closes_at=now + timedelta(days=20)))
        db.session.commit()
    public = app.test_client()
    page = public.get(f"/poti/petitions/{petition.id}").text
    assert f'href="/poti/petitions/{petition.id}/attachment"' in page and "გეგმა.pdf" in page
    published = _get(public, f"/poti/petitions/{petition.id}/attachment")
    assert published.status_code == 200 and published.data == PDF
    assert published.headers["Content-Disposition"].startswith("attachment;")


def test_a_disguised_file_is_refused_and_nothing_is_saved(app, poti, author):
    _user, client = author
    response = _post(client, f"{BASE}/new", VALUES,
                     {"attachment": (b"<html><script>alert(1)</script>", "plan.pdf")})
    assert response.status_code == 422
    assert 'id="attachment-error"' in response.text and "cannot be attached" in response.text
    assert _petitions(app, poti) == []


def test_the_attachment_is_replaced_or_removed(app, poti, author):
    _user, client = author
    _post(client, f"{BASE}/new", VALUES, {"attachment": (PDF, "first.pdf")})
    [petition] = _petitions(app, poti)
    first = petition.attachment_path
    odt = _odt()
    assert _post(client, f"{BASE}/{petition.id}", VALUES,
                 {"attachment": (odt, "second.odt")}).status_code == 303
    [petition] = _petitions(app, poti)
    assert petition.attachment_name == "second.odt" and petition.attachment_path != first
    with app.app_context():
        assert not storage.exists(first)  # the old file went with the commit
    assert _post(client, f"{BASE}/{petition.id}", {**VALUES, "remove_attachment": "y"}).status_code == 303
    [petition] = _petitions(app, poti)
    assert (petition.attachment_path, petition.attachment_name) == (None, "")


def _odt() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_a_file_over_the_request_limit_goes_back_to_the_form(app, poti, author, monkeypatch):
    _user, client = author
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = _post(client, f"{BASE}/new", VALUES, {"attachment": (PDF + bytes(100 * 1024), "big.pdf")})
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/new")
    assert "The file is larger than 10 MB" in client.get(response.location).text
    assert _petitions(app, poti) == []
