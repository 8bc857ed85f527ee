"""The one-click unsubscribe endpoint that List-Unsubscribe headers point at (RFC 8058)."""

from __future__ import annotations

import pytest

from portal.services import unsubscribe as registry
from portal.tenancy.registry import TenantConfig
from tests.helpers import HTMX

TOKEN = "s" * 32


@pytest.fixture
def handled(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(registry, "HANDLERS", [lambda token: seen.append(token) or True])
    return seen


def test_confirmation_page_in_georgian_with_a_form(client):
    response = client.get(f"/poti/unsubscribe/{TOKEN}")
    assert response.status_code == 200
    assert "გამოწერის გაუქმება" in response.text
    assert f'action="/poti/unsubscribe/{TOKEN}"' in response.text
    assert 'method="post"' in response.text


def test_one_click_post_without_csrf_token_unsubscribes(client, handled):
    response = client.post(f"/poti/unsubscribe/{TOKEN}",
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "ამ შეტყობინებებს აღარ მიიღებთ" in response.text
    assert handled == [TOKEN]


def test_htmx_post_gets_the_fragment(client, handled):
    response = client.post(f"/poti/unsubscribe/{TOKEN}", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert response.headers["Vary"] == "HX-Request"


def test_unknown_token_still_answers_without_revealing_anything(client):
    response = client.post(f"/abasha/unsubscribe/{TOKEN}")
    assert response.status_code == 200


@pytest.mark.parametrize("token", ["short", "has spaces in it but is long", "x" * 200])
def test_malformed_tokens_are_not_found(client, token):
    assert client.get(f"/poti/unsubscribe/{token}").status_code == 404


def test_tenant_files_reject_unknown_mail_and_sms_keys(poti):
    profile = poti.config.model_dump(mode="json")
    TenantConfig.model_validate({**profile, "sms": {"sender": "Poti", "per_minute": 30}})
    with pytest.raises(ValueError, match="extra"):
        TenantConfig.model_validate({**profile, "mail": {"sender": "x"}})
    with pytest.raises(ValueError, match="reply_to"):
        TenantConfig.model_validate({**profile, "mail": {"reply_to": "not-an-address"}})
