"""A citizen sent to the e-mail sign-in from a page comes back to it after the link; a
``next`` that is not a path on this site, or a link opened in another browser, lands on
"My page" (the page is kept in the asking browser's session, never in the link)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from portal.blueprints.petitions import cosponsors
from portal.blueprints.petitions.models import Petition
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token, shared_host_path
from tests.petitions.admin_factories import make_petition
from tests.petitions.authors import citizen

ME = "/poti/accounts/me"
HOSTILE = [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
    "/%2F%2Fevil.example", "%2F%2Fevil.example", "/%252F%252Fevil.example",
    "javascript:alert(1)", "evil.example", "/%5Cevil.example",
]


@pytest.fixture
def mailbox(monkeypatch):
    """The messages accounts hand to the outbox (``queue_email``'s keyword arguments)."""
    from portal.blueprints.accounts import notifications

    sent: list[dict] = []
    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: sent.append(kw))
    return sent


def _ask_link(client, form_path: str, email: str, **extra):
    """Fill in the e-mail sign-in form at ``form_path`` as a browser without JS does."""
    page = client.get(form_path)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "email": email}
    hidden = page.text.split('name="next" type="hidden" value="', 1)
    if len(hidden) == 2:
        data["next"] = hidden[1].split('"', 1)[0].replace("&amp;", "&")
    data.update(extra)
    response = client.post(form_path, data=data)
    assert response.status_code == 200
    return response


def _open_mail_link(client, message: dict):
    link = shared_host_path(message["context"]["action_url"])
    page = client.get(link)
    return client.post(link, data={"csrf_token": csrf_token(page.text)})


def _join_path(app, poti) -> str:
    user, _client = citizen(app, "author@example.ge")
    pid = make_petition(app, poti, status="draft", author_id=user.id, title="ქუჩის განათება")
    with app.app_context(), tenant_context(poti):
        petition = db.session.get(Petition, pid)
        token = cosponsors.new_link(petition, user)
        db.session.commit()
    return f"/poti/petitions/mine/{pid}/join/{token}"


def test_signed_out_cosponsor_comes_back_to_the_join_page(app, poti, mailbox):
    path = _join_path(app, poti)
    client = app.test_client()
    response = client.get(path)
    assert response.status_code == 303
    sign_in = urlsplit(response.location)
    assert sign_in.path == "/poti/accounts/link"
    assert parse_qs(sign_in.query)["next"] == [path]
    _ask_link(client, f"{sign_in.path}?{sign_in.query}", "friend@example.ge")
    response = _open_mail_link(client, mailbox[0])
    assert response.status_code == 303 and response.location == path
    page = client.get(path)
    assert page.status_code == 200 and "ქუჩის განათება" in page.text
    assert 'name="full_name"' in page.text  # the join form, signed in


def test_my_page_and_other_pages_send_their_address_along(app, poti, mailbox):
    client = app.test_client()
    response = client.get(ME)
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.location).query)["next"] == [ME]


def test_a_post_sends_no_next(app, poti):
    path = _join_path(app, poti)
    client = app.test_client()
    token = csrf_token(client.get("/poti/accounts/link").text)
    response = client.post(path, data={"full_name": "x", "csrf_token": token})
    assert response.status_code == 303 and urlsplit(response.location).query == ""


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_next_lands_on_my_page(app, poti, mailbox, hostile):
    client = app.test_client()
    page = client.get("/poti/accounts/link", query_string={"next": hostile})
    assert page.status_code == 200 and 'name="next" type="hidden" value=""' in page.text
    # Posted straight in the form too, past the page that would have dropped it.
    _ask_link(client, "/poti/accounts/link", "citizen@example.ge", next=hostile)
    response = _open_mail_link(client, mailbox[0])
    assert response.status_code == 303 and response.location == ME


def test_a_next_with_a_control_character_is_refused(app, poti):
    client = app.test_client()
    assert client.get("/poti/accounts/link?next=/%0D%0ALocation:%20x").status_code == 400


def test_the_mail_link_in_another_browser_signs_in_and_lands_on_my_page(app, poti, mailbox):
    path = _join_path(app, poti)
    asking = app.test_client()
    location = asking.get(path).location
    _ask_link(asking, shared_host_path(location), "friend@example.ge")
    phone = app.test_client()  # no cookie of the browser that asked
    response = _open_mail_link(phone, mailbox[0])
    assert response.status_code == 303 and response.location == ME
    assert "friend@example.ge" in phone.get(ME).text


def test_the_kept_page_is_used_once(app, poti, mailbox):
    path = _join_path(app, poti)
    client = app.test_client()
    _ask_link(client, shared_host_path(client.get(path).location), "friend@example.ge")
    assert _open_mail_link(client, mailbox[0]).location == path
    client.post("/poti/accounts/sign-out",
                data={"csrf_token": csrf_token(client.get(ME).text)})
    _ask_link(client, "/poti/accounts/link", "friend@example.ge")
    assert _open_mail_link(client, mailbox[1]).location == ME
