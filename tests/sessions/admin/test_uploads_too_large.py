"""A file over the request limit (MAX_CONTENT_LENGTH) on one of the clerk's upload forms: the
form again, with a message naming the file's limit in the clerk's language, and nothing saved.
Every request here really sends more than the limit."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.blueprints.sessions.models import Document, Member, TranscriptSegment
from portal.extensions import db
from portal.services import storage
from portal.services.audit import AuditEntry
from portal.tenancy import all_tenants
from tests.helpers import HTMX, HTMX_BOOSTED, csrf_token
from tests.sessions.admin.helpers import english
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/sessions"
MESSAGE = "The file is larger than {size} MB, so nothing was saved."
MESSAGE_KA = "ფაილი {size} მბ-ზე დიდია, ამიტომ არაფერი შენახულა."


def _oversize(app, name: str) -> FileStorage:
    """A file that makes the request body larger than the app's MAX_CONTENT_LENGTH."""
    return FileStorage(io.BytesIO(b"%PDF-" + b"x" * app.config["MAX_CONTENT_LENGTH"]), name)


def _send(client, url: str, data: dict, headers: dict | None = None, token: bool = True):
    """POST ``data`` as multipart/form-data, with a CSRF token unless ``token`` is False.

    The body is encoded here, in memory: the test client would spool one this large to a
    temporary file that it never closes (a ResourceWarning, an error under pytest)."""
    if token:
        data = {"csrf_token": csrf_token(client.get("/poti/admin/").text), **data}
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, headers=headers or {},
                       content_type=f"multipart/form-data; boundary={boundary}")


def _state(app) -> tuple:
    """Rows and stored files that an upload would add to."""
    with app.app_context(), all_tenants():
        counts = tuple(db.session.scalar(select(func.count()).select_from(model))
                       for model in (Document, Member, TranscriptSegment, AuditEntry))
        files = sorted(p for p in storage.root().rglob("*") if p.is_file()) if storage.root().exists() else []
    return counts, files


#: (form name, where it posts, its fields, the file field, where the form lives, file limit in MB)
FORMS = [
    ("document", "/{session}/documents", {"document-kind": "minutes"}, "document-file", "/{session}", 10),
    ("new member", "/members/new", {"slug": "ana", "name_ka": "ანა"}, "photo", "/members/new", 2),
    ("member", "/members/{member}", {"slug": "nino", "name_ka": "ნინო"}, "photo", "/members/{member}", 2),
    ("transcript", "/recordings/{recording}/transcript", {"language": "ka"}, "file",
     "/recordings/{recording}", 2),
]


def _paths(councils, action: str, page: str) -> tuple[str, str]:
    c = councils["poti"]
    ids = {"session": c.session_id, "member": c.member_id, "recording": c.recording_id}
    return BASE + action.format(**ids), BASE + page.format(**ids)


@pytest.mark.parametrize(("name", "action", "fields", "file_field", "page", "size"), FORMS,
                         ids=[f[0] for f in FORMS])
def test_a_file_over_the_limit_returns_to_the_form_with_a_message(
        app, councils, clerk, name, action, fields, file_field, page, size):
    url, form_page = _paths(councils, action, page)
    before = _state(app)
    response = _send(english(clerk), url, {**fields, file_field: _oversize(app, "big.pdf")})
    assert response.status_code == 303 and response.headers["Location"].endswith(form_page)
    assert "HX-Request" in response.headers["Vary"]
    shown = clerk.get(form_page)
    assert shown.status_code == 200 and MESSAGE.format(size=size) in shown.text
    assert 'class="flash flash-error"' in shown.text and f'action="{url}"' in shown.text  # the form
    assert MESSAGE.format(size=size) not in clerk.get(form_page).text  # said once
    assert _state(app) == before


def test_in_georgian_by_default(app, councils, clerk):
    url, form_page = _paths(councils, "/{session}/documents", "/{session}")
    response = _send(clerk, url, {"document-kind": "minutes", "document-file": _oversize(app, "ოქმი.pdf")})
    assert MESSAGE_KA.format(size=10) in clerk.get(response.headers["Location"]).text


def test_htmx_is_sent_to_the_form_page_not_given_it_as_a_fragment(app, councils, clerk):
    url, form_page = _paths(councils, "/{session}/documents", "/{session}")
    before = _state(app)
    fragment = _send(english(clerk), url, {"document-kind": "minutes", "document-file": _oversize(app, "big.pdf")},
                     HTMX)
    # A 303 would be followed by htmx and the whole page swapped into the documents region.
    assert fragment.status_code == 200 and fragment.headers["HX-Redirect"].endswith(form_page)
    assert fragment.text == "" and "HX-Request" in fragment.headers["Vary"]
    assert MESSAGE.format(size=10) in clerk.get(form_page).text
    member_url, member_page = _paths(councils, "/members/{member}", "/members/{member}")
    boosted = _send(clerk, member_url, {"photo": _oversize(app, "big.png")}, HTMX_BOOSTED)
    assert boosted.status_code == 303 and boosted.headers["Location"].endswith(member_page)
    assert _state(app) == before


def test_other_forms_and_other_causes_keep_the_error_page(app, councils, clerk):
    c = councils["poti"]
    english(clerk)
    agenda = _send(clerk, f"{BASE}/{c.session_id}/agenda", {"agenda-title": "x",
                                                            "extra": _oversize(app, "big.pdf")})
    assert agenda.status_code == 413 and "Too large" in agenda.text
    # A text field over MAX_FORM_MEMORY_SIZE, the whole request under MAX_CONTENT_LENGTH.
    report = _send(clerk, f"{BASE}/members/{c.member_id}", {
        "slug": "nino", "name_ka": "ნინო", "activity_report": "ა" * app.config["MAX_FORM_MEMORY_SIZE"]})
    assert report.status_code == 413 and "Too large" in report.text and "MB" not in report.text


def test_the_way_back_is_checked_like_any_visit(app, councils, clerk, client, staff, poti):
    """A visitor signed out, or staff without the permission, are refused before the body is
    read (tests/admin/test_refused_unread.py); for a permitted clerk the redirect only names
    the form's URL, whose GET refuses another municipality's id as always."""
    foreign, _page = _paths({"poti": councils["abasha"]}, "/members/{member}", "/members/{member}")
    sent_back = _send(clerk, foreign, {"photo": _oversize(app, "big.png")})
    assert sent_back.status_code == 303 and clerk.get(sent_back.headers["Location"]).status_code == 404
    url, form_page = _paths(councils, "/{session}/documents", "/{session}")
    anonymous = _send(client, url, {"document-file": _oversize(app, "big.pdf")}, token=False)
    assert anonymous.status_code == 303 and "/accounts/sign-in" in anonymous.headers["Location"]
    editor = app.test_client()
    signed_in(editor, staff(poti, ["editor"]))
    refused = _send(editor, url, {"document-file": _oversize(app, "big.pdf")}, HTMX, token=False)
    assert refused.status_code == 403


def test_the_refused_body_is_read_to_its_end_first(app, councils, clerk, monkeypatch):
    """Else a server like gunicorn closes the connection while the browser is still sending,
    and the browser shows a connection error instead (tests/e2e/admin/test_archive_admin_uploads.py)."""
    from portal.web import uploads

    url, _page = _paths(councils, "/{session}/documents", "/{session}")
    boundary, body = encode_multipart({"document-file": _oversize(app, "big.pdf")})
    for cap, read in ((uploads.DRAIN_LIMIT, len(body)), (1000, 1000)):
        monkeypatch.setattr(uploads, "DRAIN_LIMIT", cap)
        stream = io.BytesIO(body)
        response = clerk.post(url, input_stream=stream, content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code == 303 and stream.tell() == read


def test_a_body_over_the_limit_elsewhere_is_not_read(app, client):
    """Only the file forms drain a refused body; any other 413 answers at once."""
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    stream = io.BytesIO(big)
    response = client.post("/language", input_stream=stream,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and stream.tell() == 0
