"""Links in messages come from configured domains only, never from the request's Host.

Each request here comes in with ``Host: evil.example`` (with ``PORTAL_BASE_DOMAIN`` unset any
host is the shared host, as in development) and the outbox row must still point at the
municipality's own domain, or the base domain, or the development address.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.config import ConfigError, load_config
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.tenancy import all_tenants, tenant_context
from portal.tenancy.links import message_url
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in

EVIL = {"Host": "evil.example"}


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context(), all_tenants():
        return list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def _ask(client, path, email, headers=EVIL):
    page = client.get(path, headers=headers)
    return client.post(path, headers=headers, data={"csrf_token": csrf_token(page.text), "email": email})


def _urls(message: OutboxMessage) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", message.body_text + message.body_html)


@pytest.fixture
def base_domain(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_DOMAIN", "portal.example.ge")
    return "portal.example.ge"


def test_reset_link_of_a_municipality_without_domain_ignores_the_host(app, client, abasha, staff):
    user = staff(abasha, ["editor"])
    assert _ask(client, "/abasha/accounts/reset", user.email).status_code == 200
    [message] = _outbox(app)
    urls = _urls(message)
    assert urls and not any("evil" in u for u in urls), urls
    assert any(u.startswith("http://localhost:5000/abasha/accounts/reset/") for u in urls), urls


def test_reset_link_goes_to_the_municipality_s_own_domain(app, client, poti, staff, base_domain):
    user = staff(poti, ["editor"])
    _ask(client, "/poti/accounts/reset", user.email, headers={"Host": base_domain})
    [message] = _outbox(app)
    assert any(u.startswith("http://poti.gov.ge/accounts/reset/") for u in _urls(message))


def test_citizen_link_uses_the_base_domain(app, client, abasha, base_domain):
    _ask(client, "/abasha/accounts/link", "citizen@example.ge", headers={"Host": base_domain})
    [message] = _outbox(app)
    urls = _urls(message)
    assert any(u.startswith("http://portal.example.ge/abasha/accounts/link/") for u in urls), urls


def test_platform_sign_in_link_ignores_the_host(app, client, abasha):
    _ask(client, "/accounts/link", "citizen@example.ge")
    [message] = _outbox(app)
    urls = _urls(message)
    assert urls and not any("evil" in u for u in urls), urls
    assert any(u.startswith("http://localhost:5000/accounts/link/") for u in urls), urls


def test_invitation_link_goes_to_the_municipality_s_domain_not_the_request_s(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/staff").text)
    client.post("/poti/admin/staff/invite", data={
        "csrf_token": token, "email": "new.clerk@example.ge", "name": "New Clerk", "roles": ["editor"]})
    [message] = _outbox(app)
    urls = _urls(message)
    assert any(u.startswith("http://poti.gov.ge/accounts/invitation/") for u in urls), urls
    assert not any("localhost" in u for u in urls)


def test_unsubscribe_link_in_a_request_ignores_the_host(app, abasha, base_domain):
    from portal.services.outbox import unsubscribe_url

    with app.test_request_context("/abasha/", headers=EVIL), tenant_context(abasha):
        assert unsubscribe_url("tok") == "http://portal.example.ge/abasha/unsubscribe/tok"


def test_message_url_is_the_same_in_and_out_of_a_request(app, poti, abasha, base_domain):
    with app.app_context():
        outside = [message_url("unsubscribe.confirm", tenant=t, unsubscribe_token="x") for t in (poti, abasha)]
    with app.test_request_context("/", headers={"Host": "poti.gov.ge"}):
        inside = [message_url("unsubscribe.confirm", tenant=t, unsubscribe_token="x") for t in (poti, abasha)]
    assert outside == inside == ["http://poti.gov.ge/unsubscribe/x",
                                 "http://portal.example.ge/abasha/unsubscribe/x"]


def test_production_refuses_to_start_without_the_base_domain(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_ENCRYPTION_KEY", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=")
    monkeypatch.setenv("PORTAL_LOOKUP_KEY", "a production lookup key")
    monkeypatch.delenv("PORTAL_BASE_DOMAIN", raising=False)
    with pytest.raises(ConfigError, match="PORTAL_BASE_DOMAIN"):
        load_config(str(tmp_path))
    monkeypatch.setenv("PORTAL_BASE_DOMAIN", "Portal.Example.GE")
    assert load_config(str(tmp_path))["PORTAL_BASE_DOMAIN"] == "portal.example.ge"


@pytest.mark.parametrize("value", ["https://portal.ge", "portal.ge/x", "portal ge", "-portal.ge"])
def test_a_malformed_base_domain_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_BASE_DOMAIN", value)
    with pytest.raises(ConfigError, match="PORTAL_BASE_DOMAIN"):
        load_config(str(tmp_path))
