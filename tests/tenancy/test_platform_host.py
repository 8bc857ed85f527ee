"""The shared host belongs to the platform: no tenant.toml, no settings and no tenant row can
give a municipality the base domain, its www., another municipality's domain or a malformed name."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.tenancy import all_tenants
from portal.tenancy.models import Tenant, TenantSetting
from tests.staff_fixtures import signed_in

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
BASE = "portal.example.ge"


@pytest.fixture
def base_domain(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_DOMAIN", BASE)
    return BASE


@pytest.fixture
def tenants_dir(tmp_path):
    folder = tmp_path / "tenants"
    shutil.copytree(TENANTS, folder)
    return folder


def _abasha_domains(tenants_dir, domains: str):
    path = tenants_dir / "abasha" / "tenant.toml"
    path.write_text(path.read_text().replace("domains = []", f"domains = {domains}"))


def _load(runner, tenants_dir):
    return runner.invoke(args=["tenants", "load", "--dir", str(tenants_dir)])


def _set_override(app, slug: str, domains: list[str]):
    with app.app_context(), all_tenants():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        db.session.add(TenantSetting(tenant_id=tenant_id, feature="profile", name="domains", value=domains))
        db.session.commit()
    app.extensions["tenant_directory"].invalidate()


@pytest.mark.parametrize(("domains", "expected"), [
    (f'["{BASE}"]', "shared host"),
    (f'["www.{BASE}"]', "shared host"),
    ('["abasha.gov.ge", "abasha.gov.ge"]', "listed twice"),
    ('["Abasha.gov.ge"]', "not a domain name"),
    ('["abasha.gov.ge:8080"]', "not a domain name"),
    ('["localhost"]', "not a domain name"),
    ('["10.0.0.1"]', "not a domain name"),
])
def test_tenant_file_cannot_claim_the_platform_or_a_bad_name(runner, ctx, tenants_dir, base_domain,
                                                            domains, expected):
    _abasha_domains(tenants_dir, domains)
    result = _load(runner, tenants_dir)
    assert result.exit_code != 0
    assert "abasha/tenant.toml: domains:" in result.output and expected in result.output, result.output


def test_tenant_file_cannot_claim_a_domain_another_set_in_its_settings(app, runner, tenants_dir):
    _set_override(app, "poti", ["poti.gov.ge", "poti-new.ge"])
    _abasha_domains(tenants_dir, '["poti-new.ge"]')
    result = _load(runner, tenants_dir)
    assert result.exit_code != 0
    assert "abasha/tenant.toml: domains:" in result.output and "'poti'" in result.output, result.output


def test_a_file_may_move_a_domain_between_municipalities(runner, ctx, tenants_dir):
    poti = tenants_dir / "poti" / "tenant.toml"
    poti.write_text(poti.read_text().replace('"www.poti.gov.ge"', '"www2.poti.gov.ge"'))
    _abasha_domains(tenants_dir, '["www.poti.gov.ge"]')
    result = _load(runner, tenants_dir)
    assert result.exit_code == 0, result.output


def _settings_post(client, slug: str, domains: str):
    page = client.get(f"/{slug}/admin/settings").text
    from tests.admin.test_settings import _form

    data = {k: html.unescape(v) for k, v in _form(page).items()}
    data["domains"] = domains
    return client.post(f"/{slug}/admin/settings", data=data)


@pytest.mark.parametrize(("domains", "message"), [
    (BASE, "პორტალის საერთო მისამართია"),
    (f"www.{BASE}", "პორტალის საერთო მისამართია"),
    ("https://abasha.gov.ge", "დომენის სახელი არ არის"),
    ("abasha.gov.ge/x", "დომენის სახელი არ არის"),
    ("poti.gov.ge", "უკვე სხვა მუნიციპალიტეტის"),
    ("abasha.gov.ge\nabasha.gov.ge", "ორჯერაა ჩაწერილი"),
])
def test_settings_refuse_the_platform_and_others_domains(app, client, abasha, staff, base_domain,
                                                         domains, message):
    signed_in(client, staff(abasha, ["admin"]))
    response = _settings_post(client, "abasha", domains)
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    with app.app_context(), all_tenants():
        assert db.session.scalar(select(TenantSetting).where(TenantSetting.name == "domains")) is None
    assert client.get("/", headers={"Host": BASE}).status_code == 200
    assert "აბაშის მუნიციპალიტეტი" in client.get("/", headers={"Host": BASE}).text  # still the list


def test_settings_refuse_a_domain_another_municipality_set_in_its_settings(app, client, abasha, staff):
    _set_override(app, "poti", ["poti.gov.ge", "poti-new.ge"])
    signed_in(client, staff(abasha, ["admin"]))
    response = _settings_post(client, "abasha", "poti-new.ge")
    assert response.status_code == 422 and "უკვე სხვა მუნიციპალიტეტის" in html.unescape(response.text)


def test_settings_refuse_an_inactive_municipality_s_domain(app, client, abasha, staff):
    with app.app_context(), all_tenants():
        db.session.execute(update(Tenant).where(Tenant.slug == "poti").values(is_active=False))
        db.session.commit()
    app.extensions["tenant_directory"].invalidate()
    signed_in(client, staff(abasha, ["admin"]))
    response = _settings_post(client, "abasha", "poti.gov.ge")
    assert response.status_code == 422


@pytest.mark.parametrize("host", [BASE, f"www.{BASE}"])
def test_the_base_domain_is_the_platform_whatever_a_tenant_row_says(app, client, base_domain, host):
    with app.app_context(), all_tenants():
        db.session.execute(update(Tenant).where(Tenant.slug == "abasha").values(domains=[host]))
        db.session.commit()
    app.extensions["tenant_directory"].invalidate()
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 200
    assert 'href="/poti/"' in page.text and 'href="/abasha/"' in page.text  # the platform's list
    assert client.get("/accounts/sign-in", headers={"Host": host}).status_code == 200
    assert client.get("/platform/", headers={"Host": host}).status_code == 303  # its sign-in
