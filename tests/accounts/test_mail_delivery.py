"""Account e-mails through the real outbox to a real local SMTP server (tests/servers.py):
reset, invitation and citizen sign-in links arrive in Georgian and work; each municipality's
outbox sends only its own mail."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token, shared_host_path
from tests.servers import SmtpServer
from tests.staff_fixtures import PASSWORD, signed_in


@pytest.fixture
def smtp(app, monkeypatch):
    with SmtpServer() as server:
        for key, value in {
            "MAIL_URL": server.url, "MAIL_FROM": "portal@example.ge", "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None, "OUTBOX_RETRY_BASE_SECONDS": 0.0, "OUTBOX_LEASE_SECONDS": 300.0,
            "OUTBOX_BATCH_SIZE": 50,
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


def deliver(app, tenant):
    from portal.delivery.worker import drain

    with app.app_context(), tenant_context(tenant):
        report = drain(channels=("email",))
        db.session.commit()
    return report


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+/accounts/\S+", text).group(0)
    return shared_host_path(url)


def _ask(client, path, email):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page.text), "email": email})


def test_reset_mail_arrives_in_georgian_and_its_link_works(app, client, poti, staff, smtp):
    user = staff(poti, ["editor"])
    _ask(client, "/poti/accounts/reset", user.email)
    assert deliver(app, poti).sent == 1
    [message] = smtp.messages
    assert message["To"] == user.email
    assert message["Subject"] == "პაროლის აღდგენა"
    link = link_in(message)
    page = client.get(link)
    response = client.post(link, data={"csrf_token": csrf_token(page.text),
                                       "password": "granite meadow cobalt lantern 58",
                                       "confirm": "granite meadow cobalt lantern 58"})
    assert response.status_code == 303


def test_invitation_mail_leads_to_choosing_a_password(app, client, poti, staff, smtp):
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/staff").text)
    client.post("/poti/admin/staff/invite", data={"csrf_token": token, "email": "new@example.org",
                                                  "roles": ["clerk"]})
    deliver(app, poti)
    [message] = smtp.messages
    assert message["To"] == "new@example.org"
    link = link_in(message)
    assert "/poti/accounts/invitation/" in link
    invited = app.test_client()
    page = invited.get(link)
    response = invited.post(link, data={"csrf_token": csrf_token(page.text),
                                        "password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"].endswith("/accounts/two-factor/setup")


def test_citizen_link_arrives(app, client, poti, smtp):
    _ask(client, "/poti/accounts/link", "citizen@example.org")
    deliver(app, poti)
    [message] = smtp.messages
    page = client.get(link_in(message))
    assert client.post(link_in(message), data={"csrf_token": csrf_token(page.text)}).status_code == 303
    assert "citizen@example.org" in client.get("/poti/accounts/me").text


def test_citizen_link_leads_back_to_the_page_that_asked(app, client, poti, smtp):
    asked = client.get("/poti/petitions/mine/new")
    assert asked.status_code == 303
    _ask(client, asked.headers["Location"], "writer@example.org")
    deliver(app, poti)
    [message] = smtp.messages
    page = client.get(link_in(message))
    signed = client.post(link_in(message), data={"csrf_token": csrf_token(page.text)})
    assert signed.headers["Location"].endswith("/poti/petitions/mine/new")
    assert client.get("/poti/petitions/mine/new").status_code == 200


def test_each_municipality_sends_only_its_own_mail(app, client, poti, abasha, staff, smtp):
    abasha_person = staff(abasha, ["editor"])
    _ask(client, "/abasha/accounts/reset", abasha_person.email)
    assert deliver(app, poti).sent == 0
    assert smtp.messages == []
    assert deliver(app, abasha).sent == 1
    assert [m["To"] for m in smtp.messages] == [abasha_person.email]
