"""Abuse controls on signing: the pause switch, the e-mail allow/block lists, and the limits
per e-mail address (aliases together) and per e-mail domain."""

from __future__ import annotations

import random

import pytest

from portal.blueprints.petitions import guard, signing
from portal.blueprints.petitions.settings import petitions_settings
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer
from tests.petitions.test_views import _fields, _open, _signatures

PAUSED_EN = "Signing is paused in this municipality for now."


def _settings(app, tenant, **values):
    with app.app_context(), tenant_context(tenant):
        petitions_settings.set_many(values)
        db.session.commit()


def test_list_entries_are_lines_commas_or_spaces_with_comments():
    assert guard.entries("Spam.example\n# a comment\n@bad.example, x@y.ge  z.ge # why\n\n") == {
        "spam.example", "bad.example", "x@y.ge", "z.ge"}
    assert guard.entries(None) == frozenset()


@pytest.mark.parametrize(("address", "ok"), [
    ("someone@example.ge", True),
    ("someone@spam.example", False),
    ("someone@mail.spam.example", False),          # a domain covers its subdomains
    ("friend@spam.example", True),                 # an allowed address passes every list
    ("Bad.Person+x@GoogleMail.com", False),        # blocked in its normalised form
    ("badperson@gmail.com", False),
    ("other@gmail.com", True),
])
def test_blocked_domains_and_addresses(ctx, poti, address, ok):
    with tenant_context(poti):
        petitions_settings.set_many({"blocked_email_domains": "spam.example",
                                     "blocked_emails": "bad.person@gmail.com",
                                     "allowed_emails": "friend@spam.example"})
        assert guard.address_allowed(address) is ok


def test_allowed_domains_let_only_them_sign_and_lists_are_per_municipality(ctx, poti, abasha):
    with tenant_context(poti):
        petitions_settings.set_many({"allowed_email_domains": "gov.ge\nexample.ge"})
        assert guard.address_allowed("a@poti.gov.ge") and guard.address_allowed("a@example.ge")
        assert not guard.address_allowed("a@gmail.com")
        petition = make_petition()
        with pytest.raises(DomainError) as refused:
            signing.sign(petition, now=NOW, **signer(1, email="a@gmail.com"))
        assert refused.value.field == "email"
    with tenant_context(abasha):
        assert guard.address_allowed("a@gmail.com")


def test_a_paused_municipality_refuses_signatures_in_the_service(ctx, poti, abasha):
    with tenant_context(poti):
        petitions_settings.set_many({"signing_paused": True})
        with pytest.raises(DomainError):
            signing.sign(make_petition(), now=NOW, **signer(2))
    with tenant_context(abasha):
        assert not guard.signing_paused()
        signing.sign(make_petition(), now=NOW, **signer(2))


def test_paused_signing_shows_a_message_and_refuses_the_post(app, poti, abasha):
    petition_id = _open(app, poti)
    abasha_id = _open(app, abasha)
    client = app.test_client()
    client.set_cookie("lang", "en")
    _settings(app, poti, signing_paused=True)
    page = client.get(f"/poti/petitions/{petition_id}").text
    assert PAUSED_EN in page and 'name="personal_number"' not in page
    other = client.get(f"/abasha/petitions/{abasha_id}/sign").text
    response = client.post(f"/poti/petitions/{petition_id}/sign", data=_fields(other, 1))
    assert response.status_code == 422 and PAUSED_EN in response.text
    assert _signatures(app, poti) == []
    assert PAUSED_EN not in other and 'name="personal_number"' in other


def test_a_blocked_domain_is_refused_on_the_form(app, poti):
    petition_id = _open(app, poti)
    client = app.test_client()
    client.set_cookie("lang", "en")
    _settings(app, poti, blocked_email_domains="spam.example")
    page = client.get(f"/poti/petitions/{petition_id}/sign").text
    response = client.post(f"/poti/petitions/{petition_id}/sign",
                           data=_fields(page, 1, email="bot@spam.example"))
    assert response.status_code == 422
    assert "Signatures from this e-mail address are not accepted" in response.text
    assert _signatures(app, poti) == []


def _limited(app, name, value):
    key = f"PORTAL_PETITION_{name}_LIMIT"
    saved = app.config[key]
    app.config[key] = value
    return lambda: app.config.__setitem__(key, saved)


def test_signing_is_limited_per_email_domain_across_network_addresses(app, poti):
    petition_id = _open(app, poti)
    domain = f"burst{random.randint(1, 10**9)}.example"
    restore = _limited(app, "DOMAIN", "2 per 600 seconds")
    try:
        statuses = []
        for n in range(1, 4):
            client = app.test_client()
            client.set_cookie("lang", "en")
            client.environ_base["REMOTE_ADDR"] = f"203.0.113.{n}"
            page = client.get(f"/poti/petitions/{petition_id}/sign").text
            response = client.post(f"/poti/petitions/{petition_id}/sign",
                                   data=_fields(page, n, email=f"user{n}@{domain}"))
            statuses.append(response.status_code)
    finally:
        restore()
    assert statuses == [303, 303, 429]
    assert "addresses of this e-mail provider" in response.text
    assert len(_signatures(app, poti)) == 2


def test_a_crowd_at_a_big_webmail_provider_is_not_held_by_the_domain_limit(app, poti):
    petition_id = _open(app, poti)
    restore = _limited(app, "DOMAIN", "2 per 600 seconds")
    try:
        statuses = []
        for n in range(1, 4):
            client = app.test_client()
            client.set_cookie("lang", "en")
            client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
            page = client.get(f"/poti/petitions/{petition_id}/sign").text
            response = client.post(f"/poti/petitions/{petition_id}/sign",
                                   data=_fields(page, n, email=f"crowd{random.randint(1, 10**9)}@gmail.com"))
            statuses.append(response.status_code)
    finally:
        restore()
    assert statuses == [303, 303, 303]
    assert len(_signatures(app, poti)) == 3


def test_signing_is_limited_per_inbox_whatever_its_alias(app, poti):
    petition_id = _open(app, poti)
    who = f"nino{random.randint(1, 10**9)}"
    restore = _limited(app, "EMAIL", "1 per 600 seconds")
    try:
        client = app.test_client()
        client.set_cookie("lang", "en")
        page = client.get(f"/poti/petitions/{petition_id}/sign").text
        first = client.post(f"/poti/petitions/{petition_id}/sign",
                            data=_fields(page, 1, email=f"{who}+a@gmail.com"))
        second = client.post(f"/poti/petitions/{petition_id}/sign",
                             data=_fields(page, 2, email=f"{who[:2]}.{who[2:]}@googlemail.com"))
    finally:
        restore()
    assert first.status_code == 303 and second.status_code == 429
    assert "from this e-mail address" in second.text


def test_the_sign_post_reads_only_its_own_municipality_s_settings(app, poti, abasha):
    """The sign POST reads the petition and the settings in one statement (a join): another
    municipality's pause and lists never apply, several stored settings all do."""
    poti_id, abasha_id = _open(app, poti), _open(app, abasha)
    _settings(app, poti, signing_paused=True, blocked_email_domains="spam.example")
    _settings(app, abasha, allowed_emails="ok@spam.example", blocked_email_domains="spam.example")
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = client.get(f"/abasha/petitions/{abasha_id}/sign").text
    refused = client.post(f"/abasha/petitions/{abasha_id}/sign",
                          data=_fields(page, 1, email="bot@spam.example"))
    assert refused.status_code == 422 and PAUSED_EN not in refused.text
    page = client.get(f"/abasha/petitions/{abasha_id}/sign").text
    signed = client.post(f"/abasha/petitions/{abasha_id}/sign",
                         data=_fields(page, 2, email="ok@spam.example"))
    assert signed.status_code == 303 and len(_signatures(app, abasha)) == 1
    assert poti_id and _signatures(app, poti) == []
