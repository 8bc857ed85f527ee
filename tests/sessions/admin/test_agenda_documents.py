"""Agenda items, documents and attendance on a session's edit page: plain POST forms (303 back)
that htmx enhances (the refreshed region comes back); public pages follow."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

from sqlalchemy import select

from portal.blueprints.sessions.models import AgendaItem, Attendance, CouncilSession, Document
from portal.extensions import db
from portal.services import storage
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.sessions.admin import factories
from tests.sessions.admin.helpers import english, post

BASE = "/poti/admin/sessions"


def _titles(app, tenant, session_id):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(AgendaItem.title).where(
            AgendaItem.session_id == session_id).order_by(AgendaItem.position)).all()


def _actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_add_agenda_item_plain_and_with_htmx(app, councils, clerk, client, poti):
    c = councils["poti"]
    plain = post(clerk, f"{BASE}/{c.session_id}/agenda", {
        "agenda-title": "სკოლების რემონტი", "agenda-reporter_id": str(c.other_id), "agenda-start": "1:02:03"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"{BASE}/{c.session_id}#agenda")
    fragment = post(clerk, f"{BASE}/{c.session_id}/agenda", {"agenda-title": "სხვადასხვა"}, htmx=True)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section id="agenda"') and 'role="status"' in fragment.text
    assert _titles(app, poti, c.session_id) == ["ბიუჯეტი", "სანაპირო", "სკოლების რემონტი", "სხვადასხვა"]
    with app.app_context(), tenant_context(poti):
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.title == "სკოლების რემონტი"))
        assert (item.reporter_id, item.start_seconds) == (c.other_id, 3723)
    public = client.get(f"/poti/sessions/{c.session_id}").text
    assert "სკოლების რემონტი" in public and "t=3723" in public  # play from the item's second
    assert _actions(app)[-2:] == ["agenda.add", "agenda.add"]


def test_agenda_item_errors_are_422_in_the_region(app, councils, clerk, poti):
    c = councils["poti"]
    english(clerk)
    for data in ({"agenda-title": " "}, {"agenda-title": "x", "agenda-start": "soon"},
                 {"agenda-title": "x", "agenda-reporter_id": str(councils["abasha"].member_id)}):
        for htmx in (False, True):
            response = post(clerk, f"{BASE}/{c.session_id}/agenda", data, htmx=htmx)
            assert response.status_code == 422
            assert ("<html" in response.text) is not htmx
            assert 'aria-invalid="true"' in response.text
    assert _titles(app, poti, c.session_id) == ["ბიუჯეტი", "სანაპირო"]


def test_edit_an_item_on_its_page_or_inline(app, councils, clerk, poti):
    c = councils["poti"]
    first = c.item_ids[0]
    page = clerk.get(f"{BASE}/agenda/{first}")
    assert page.status_code == 200 and f'name="item{first}-title"' in page.text
    inline = clerk.get(f"{BASE}/agenda/{first}", headers={"HX-Request": "true"})
    assert "<html" not in inline.text and inline.text.lstrip().startswith("<form")
    saved = post(clerk, f"{BASE}/agenda/{first}", {f"item{first}-title": "ბიუჯეტის ცვლილებები",
                                                   f"item{first}-start": "95"}, htmx=True)
    assert saved.headers["HX-Retarget"] == "#agenda" and saved.headers["HX-Reswap"] == "outerHTML"
    assert "ბიუჯეტის ცვლილებები" in saved.text and "1:35" in saved.text
    refused = post(clerk, f"{BASE}/agenda/{first}", {f"item{first}-title": ""}, htmx=True)
    assert refused.status_code == 422 and refused.text.lstrip().startswith("<form")
    plain = post(clerk, f"{BASE}/agenda/{first}", {f"item{first}-title": "ბიუჯეტი 2025"})
    assert plain.status_code == 303
    assert _titles(app, poti, c.session_id)[0] == "ბიუჯეტი 2025"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "agenda.update")
                                   .order_by(AuditEntry.id.desc())).first()
    assert entry.before["title"] == "ბიუჯეტის ცვლილებები" and entry.after["title"] == "ბიუჯეტი 2025"


def test_move_and_delete_items(app, councils, clerk, client, poti):
    c = councils["poti"]
    first, second = c.item_ids
    assert post(clerk, f"{BASE}/agenda/{second}/move", {"direction": "up"}).status_code == 303
    assert _titles(app, poti, c.session_id) == ["სანაპირო", "ბიუჯეტი"]
    moved = post(clerk, f"{BASE}/agenda/{second}/move", {"direction": "down"}, htmx=True)
    assert moved.status_code == 200 and moved.text.lstrip().startswith('<section id="agenda"')
    assert _titles(app, poti, c.session_id) == ["ბიუჯეტი", "სანაპირო"]
    assert post(clerk, f"{BASE}/agenda/{second}/move", {"direction": "sideways"}).status_code == 422
    assert post(clerk, f"{BASE}/agenda/{first}/delete", htmx=True).status_code == 200
    assert _titles(app, poti, c.session_id) == ["სანაპირო"]
    public = client.get(f"/poti/sessions/{c.session_id}").text
    assert "ბიუჯეტი" not in public.split('id="agenda-title"')[1].split("</section>")[0]


def _button_form(page: str, url: str) -> str:
    """The opening tag of the form on ``page`` whose action is ``url``."""
    return re.search(rf'<form [^>]*action="{re.escape(url)}"[^>]*>', page).group(0)


def _documents(app, tenant, session_id):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Document.title).where(
            Document.session_id == session_id).order_by(Document.id)).all()


def _asks_first(clerk, session_id: int, url: str, region: str, question: str) -> str:
    """The delete button for ``url`` on the session page is a GET form that htmx turns into a
    confirmed POST; the GET is a confirmation page posting to the same URL. Its text."""
    button = _button_form(clerk.get(f"{BASE}/{session_id}").text, url)
    assert 'method="get"' in button and f'hx-post="{url}"' in button and "hx-confirm=" in button
    confirm = clerk.get(url)
    assert confirm.status_code == 200 and f"<h1>{question}</h1>" in confirm.text
    assert f'<form id="delete-form" method="post" action="{url}">' in confirm.text
    assert f'href="{BASE}/{session_id}#{region}">Keep it</a>' in confirm.text
    return confirm.text


def _confirmed(clerk, session_id: int, url: str, region: str) -> str:
    """Press the confirmation page's button: 303 back to the region; the session page's text."""
    deleted = post(clerk, url, token_from=url)
    assert deleted.status_code == 303
    assert deleted.headers["Location"].endswith(f"{BASE}/{session_id}#{region}")
    return clerk.get(f"{BASE}/{session_id}").text


def test_deleting_an_item_without_javascript_asks_on_a_page_first(app, councils, clerk, poti):
    c = councils["poti"]
    url = f"{BASE}/agenda/{c.item_ids[0]}/delete"
    confirm = _asks_first(english(clerk), c.session_id, url, "agenda", "Delete this agenda item?")
    assert "Item 1 of the agenda: “ბიუჯეტი”." in confirm and "სხდომა ფოთი" in confirm
    assert _titles(app, poti, c.session_id) == ["ბიუჯეტი", "სანაპირო"]  # asking changes nothing
    assert "Agenda item deleted." in _confirmed(clerk, c.session_id, url, "agenda")
    assert _titles(app, poti, c.session_id) == ["სანაპირო"]
    assert _actions(app)[-1] == "agenda.delete"


def test_deleting_a_document_without_javascript_asks_on_a_page_first(app, councils, clerk, poti):
    c = councils["poti"]
    post(clerk, f"{BASE}/{c.session_id}/documents", {
        "document-kind": "decision", "document-title": "განკარგულება",
        "document-file": (io.BytesIO("ბაღის შენობა".encode()), "decision.txt")})
    with app.app_context(), tenant_context(poti):
        doc = db.session.scalar(select(Document).where(Document.session_id == c.session_id))
        path = storage.path_of(doc.storage_path)
    url = f"{BASE}/documents/{doc.id}/delete"
    confirm = _asks_first(english(clerk), c.session_id, url, "documents",
                          "Delete this document and its file?")
    assert "განკარგულება" in confirm and "decision.txt" in confirm
    assert path.exists() and _documents(app, poti, c.session_id) == ["განკარგულება"]
    assert "Document deleted." in _confirmed(clerk, c.session_id, url, "documents")
    assert _documents(app, poti, c.session_id) == [] and not path.exists()
    assert _actions(app)[-1] == "document.delete"


def test_htmx_deletes_inline_with_the_token_in_its_header(app, councils, clerk, poti):
    """The delete buttons carry no token field (they are GET forms without JavaScript): htmx
    sends the page's token in the X-CSRFToken header of <body>'s hx-headers."""
    c = councils["poti"]
    headers = {**HTMX, "X-CSRFToken": csrf_token(clerk.get(f"{BASE}/{c.session_id}").text)}
    item = clerk.post(f"{BASE}/agenda/{c.item_ids[0]}/delete", headers=headers)
    assert item.status_code == 200 and item.text.lstrip().startswith('<section id="agenda"')
    assert _titles(app, poti, c.session_id) == ["სანაპირო"]
    doc_id = factories.make_document(app, poti)
    document = clerk.post(f"{BASE}/documents/{doc_id}/delete", headers=headers)
    assert document.status_code == 200 and document.text.lstrip().startswith('<section id="documents"')
    assert clerk.post(f"{BASE}/agenda/{c.item_ids[1]}/delete", headers=HTMX).status_code == 400  # no token
    assert _titles(app, poti, c.session_id) == ["სანაპირო"]
    assert _actions(app)[-2:] == ["agenda.delete", "document.delete"]


def test_another_municipalitys_item_or_document_is_404_before_and_after_asking(app, councils, clerk, abasha):
    b = councils["abasha"]
    doc_id = factories.make_document(app, abasha)
    for url in (f"{BASE}/agenda/{b.item_ids[0]}/delete", f"{BASE}/documents/{doc_id}/delete"):
        assert clerk.get(url).status_code == 404, url
        assert post(clerk, url).status_code == 404, url
        assert post(clerk, url, htmx=True).status_code == 404, url
    assert _titles(app, abasha, b.session_id) == ["ბიუჯეტი", "სანაპირო"]
    with app.app_context(), tenant_context(abasha):
        assert db.session.get(Document, doc_id) is not None


def test_upload_download_and_delete_a_document(app, councils, clerk, client, poti):
    c = councils["poti"]
    response = post(clerk, f"{BASE}/{c.session_id}/documents", {
        "document-kind": "minutes", "document-title": "სხდომის ოქმი",
        "document-file": (io.BytesIO("ოქმი: სანაპიროს განათება".encode()), "ოქმი.txt")})
    assert response.status_code == 303 and response.headers["Location"].endswith("#documents")
    with app.app_context(), tenant_context(poti):
        doc = db.session.scalar(select(Document).where(Document.session_id == c.session_id))
        path = storage.path_of(doc.storage_path)
    public = client.get(f"/poti/sessions/{c.session_id}").text
    link = f"/poti/sessions/documents/{doc.id}/{quote(doc.filename)}"
    assert link in public and "სხდომის ოქმი" in public
    with client.get(link) as download:
        assert "სანაპიროს განათება".encode() in download.data
    assert f"/poti/sessions/{c.session_id}" in client.get("/poti/sessions/search?q=განათება").text
    deleted = post(clerk, f"{BASE}/documents/{doc.id}/delete", htmx=True)
    assert deleted.status_code == 200 and deleted.text.lstrip().startswith('<section id="documents"')
    assert not path.exists() and client.get(link).status_code == 404
    assert _actions(app)[-2:] == ["document.upload", "document.delete"]


def test_documents_of_other_types_are_refused_with_a_message(app, councils, clerk, poti):
    c = councils["poti"]
    english(clerk)
    for name, data, message in (
            ("virus.exe", b"MZ\x90\x00", "Upload a PDF, a Word (.docx) or a text file"),
            ("fake.pdf", b"<html></html>", "This file is not a PDF document."),
            ("empty.txt", b"", "The file is empty.")):
        for htmx in (False, True):
            response = post(clerk, f"{BASE}/{c.session_id}/documents", {
                "document-kind": "other", "document-file": (io.BytesIO(data), name)}, htmx=htmx)
            assert response.status_code == 422 and message in response.text
            assert 'id="document-file-error"' in response.text
    missing = post(clerk, f"{BASE}/{c.session_id}/documents", {"document-kind": "other"})
    assert missing.status_code == 422 and "Choose a file to upload." in missing.text
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(Document.id)) is None
    with app.app_context():
        assert list(storage.root().glob("poti/*virus*")) == []


def test_attendance_for_a_held_session(app, councils, clerk, client, poti):
    c = councils["poti"]
    page = clerk.get(f"{BASE}/{c.session_id}/attendance").text
    assert "<legend>ნინო ფოთი</legend>" in page and "<legend>ლევან ფოთი</legend>" in page
    response = post(clerk, f"{BASE}/{c.session_id}/attendance",
                    {f"m{c.member_id}": "present", f"m{c.other_id}": "excused"})
    assert response.status_code == 303
    public = english(client).get(f"/poti/sessions/{c.session_id}").text
    assert "Nino: present" in public and "Levan: excused" in public
    entry_after = _actions(app)[-1]
    assert entry_after == "attendance.save"
    assert post(clerk, f"{BASE}/{c.session_id}/attendance",
                {f"m{c.member_id}": "asleep"}).status_code == 422
    assert post(clerk, f"{BASE}/{c.session_id}/attendance",
                {f"m{councils['abasha'].member_id}": "present"}).status_code == 303  # ignored
    with app.app_context(), tenant_context(poti):
        assert len(db.session.scalars(select(Attendance)).all()) == 2


def test_attendance_waits_until_the_session_is_held(app, councils, clerk, poti):
    c = councils["poti"]
    with app.app_context(), tenant_context(poti):
        db.session.scalar(select(CouncilSession).where(CouncilSession.id == c.session_id)).status = "scheduled"
        db.session.commit()
    english(clerk)
    assert "once the session is held" in clerk.get(f"{BASE}/{c.session_id}").text
    page = clerk.get(f"{BASE}/{c.session_id}/attendance").text
    assert 'id="attendance-form"' not in page
    refused = post(clerk, f"{BASE}/{c.session_id}/attendance", {f"m{c.member_id}": "present"})
    assert refused.status_code == 422 and "held sessions only" in refused.text
