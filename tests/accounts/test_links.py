"""Links by e-mail: password reset, citizen sign-in; single use, expiring, no enumeration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.extensions import db
from tests.helpers import csrf_token, shared_host_path
from tests.staff_fixtures import totp_now

NEW_PASSWORD = "lantern orchard pebble quartz 71"


@pytest.fixture
def mailbox(monkeypatch):
    """The messages accounts hand to the outbox (``queue_email``'s keyword arguments)."""
    from portal.blueprints.accounts import notifications

    sent: list[dict] = []
    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: sent.append(kw))
    return sent


def _link(message: dict) -> str:
    url = message["context"]["action_url"]
    return shared_host_path(url)


def _ask(client, path: str, email: str):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page.text), "email": email})


def test_reset_link_sets_a_new_password_once(app, client, poti, staff, mailbox):
    user = staff(poti, ["editor"])
    assert _ask(client, "/poti/accounts/reset", user.email).status_code == 200
    assert len(mailbox) == 1 and mailbox[0]["to"] == user.email and mailbox[0]["locale"] == "ka"
    link = _link(mailbox[0])
    page = client.get(link)
    response = client.post(link, data={"csrf_token": csrf_token(page.text),
                                       "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/accounts/two-factor")
    page = client.get("/poti/accounts/two-factor")
    response = client.post("/poti/accounts/two-factor", data={
        "csrf_token": csrf_token(page.text), "code": totp_now(user.totp_secret)})
    assert response.status_code == 303
    assert client.get(link).status_code == 404  # used


def test_reset_refuses_a_weak_password(client, poti, staff, mailbox):
    user = staff(poti, ["editor"])
    _ask(client, "/poti/accounts/reset", user.email)
    link = _link(mailbox[0])
    for weak in ("short one", "passwordpassword1", "aaaaaaaaaaaaaaaaaaaa"):
        page = client.get(link)
        response = client.post(link, data={"csrf_token": csrf_token(page.text), "password": weak, "confirm": weak})
        assert response.status_code == 422, weak


def test_reset_for_unknown_address_answers_the_same_and_sends_nothing(client, poti, mailbox):
    response = _ask(client, "/poti/accounts/reset", "nobody@example.org")
    assert response.status_code == 200 and mailbox == []


def test_expired_reset_link_does_not_work(app, client, poti, staff, mailbox):
    from portal.blueprints.accounts.models import AccountToken
    from portal.db import utcnow

    user = staff(poti, ["editor"])
    _ask(client, "/poti/accounts/reset", user.email)
    with app.app_context():
        db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get(_link(mailbox[0])).status_code == 404


def test_citizen_signs_in_with_a_link_once(app, client, poti, mailbox):
    assert _ask(client, "/poti/accounts/link", "Citizen@Example.org").status_code == 200
    link = _link(mailbox[0])
    page = client.get(link)  # a mail scanner's GET does not use the link up
    assert page.status_code == 200
    response = client.post(link, data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    me = client.get("/poti/accounts/me")
    assert me.status_code == 200 and "citizen@example.org" in me.text
    assert client.get("/poti/admin/").status_code == 303  # a citizen is no staff
    assert app.test_client().get(link).status_code == 404


def test_staff_addresses_get_no_citizen_link(client, poti, staff, mailbox):
    user = staff(poti, ["editor"])
    assert _ask(client, "/poti/accounts/link", user.email).status_code == 200
    assert mailbox == []


def test_my_page_needs_sign_in(client, poti):
    response = client.get("/poti/accounts/me")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/poti/accounts/link?next=/poti/accounts/me")


@pytest.fixture
def mail_tenants(monkeypatch):
    """(recipient, municipality whose outbox the message joins) of each message."""
    from portal.blueprints.accounts import notifications
    from portal.tenancy import get_current_tenant

    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(notifications, "_queue_email",
                        lambda **kw: sent.append((kw["to"], get_current_tenant().slug)))
    return sent


def test_mail_joins_the_outbox_of_the_municipality_it_is_about(app, client, poti, abasha, staff, mail_tenants):
    abasha_staff = staff(abasha, ["editor"])
    _ask(client, "/abasha/accounts/reset", abasha_staff.email)
    _ask(client, "/accounts/reset", abasha_staff.email)  # the shared host: their municipality
    _ask(client, "/poti/accounts/link", "someone@example.org")
    assert mail_tenants == [(abasha_staff.email, "abasha"), (abasha_staff.email, "abasha"),
                            ("someone@example.org", "poti")]


def test_using_one_reset_link_spends_the_others(client, poti, staff, mailbox):
    user = staff(poti, ["editor"])
    _ask(client, "/poti/accounts/reset", user.email)
    _ask(client, "/poti/accounts/reset", user.email)
    first, second = (_link(m) for m in mailbox)
    page = client.get(first)
    client.post(first, data={"csrf_token": csrf_token(page.text), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get(second).status_code == 404


def test_an_invitation_of_a_deactivated_person_no_longer_works(app, client, poti, staff, mailbox):
    admin = staff(poti, ["admin"])
    from tests.staff_fixtures import signed_in

    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/staff").text)
    client.post("/poti/admin/staff/invite", data={"csrf_token": token, "email": "gone@example.org",
                                                  "roles": ["editor"]})
    link = _link(mailbox[0])
    from portal.blueprints.accounts.queries import user_by_email

    with app.app_context():
        invited_id = user_by_email("gone@example.org").id
    client.post(f"/poti/admin/staff/{invited_id}/deactivate", data={"csrf_token": token})
    assert app.test_client().get(link).status_code == 404
