"""Host and path → municipality; links stay inside the municipality under either scheme."""

import re

import pytest


def links(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"#][^"]*)"', html)


def test_shared_host_lists_municipalities(client):
    page = client.get("/").text
    assert "ფოთის მუნიციპალიტეტი" in page
    assert "აბაშის მუნიციპალიტეტი" in page
    assert 'href="/poti/"' in page and 'href="/abasha/"' in page


@pytest.mark.parametrize("slug", ["poti", "abasha"])
def test_each_municipality_has_its_own_site(client, slug):
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    internal = [u for u in links(response.text) if u.startswith("/") and not u.startswith("/static/")]
    assert internal, "the page links somewhere"
    for url in internal:
        # Only the footer's "all municipalities" link leaves the municipality.
        assert url == "/" or url.startswith((f"/{slug}/", "/language")), url


def test_own_domain_serves_the_municipality_at_root(client):
    response = client.get("/", headers={"Host": "poti.gov.ge"})
    assert response.status_code == 200
    assert "ფოთის მუნიციპალიტეტი" in response.text
    internal = [u for u in links(response.text) if u.startswith("/")]
    assert "/tour/" in internal
    assert not any(u.startswith("/poti/") for u in internal), internal


def test_own_domain_with_port_and_upper_case(client):
    assert client.get("/tour/", headers={"Host": "POTI.gov.ge:8080"}).status_code == 200


def test_secondary_domain_redirects_to_primary(client):
    response = client.get("/tour/?x=1", headers={"Host": "www.poti.gov.ge"})
    assert response.status_code == 301
    assert response.headers["Location"] == "http://poti.gov.ge/tour/?x=1"


def test_unknown_municipality_is_404(client):
    response = client.get("/tbilisi/")
    assert response.status_code == 404
    assert "გვერდი ვერ მოიძებნა" in response.text


def test_own_domain_cannot_reach_another_municipality(client):
    assert client.get("/abasha/", headers={"Host": "poti.gov.ge"}).status_code == 404


def test_unknown_host_is_404_when_base_domain_is_set(app, client):
    app.config["PORTAL_BASE_DOMAIN"] = "portal.example.ge"
    try:
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 404
        assert client.get("/healthz", headers={"Host": "10.0.0.5"}).status_code == 200
        assert client.get("/poti/", headers={"Host": "portal.example.ge"}).status_code == 200
        page = client.get("/", headers={"Host": "poti.gov.ge"}).text
        assert 'href="http://portal.example.ge/"' in page
    finally:
        app.config["PORTAL_BASE_DOMAIN"] = None


def test_no_all_municipalities_link_on_own_domain_without_base(client):
    page = client.get("/", headers={"Host": "poti.gov.ge"}).text
    assert "პორტალის ყველა მუნიციპალიტეტი" not in page
    assert "პორტალის ყველა მუნიციპალიტეტი" in client.get("/poti/").text


def test_inactive_municipality_is_not_served(app, client):
    from sqlalchemy import update

    from portal.extensions import db
    from portal.tenancy import all_tenants
    from portal.tenancy.models import Tenant

    with app.app_context(), all_tenants():
        db.session.execute(update(Tenant).where(Tenant.slug == "abasha").values(is_active=False))
        db.session.commit()
    app.extensions["tenant_directory"].invalidate()
    assert client.get("/abasha/").status_code == 404
    assert 'href="/abasha/"' not in client.get("/").text


def test_url_building_for_jobs_outside_a_request(app, poti):
    from flask import url_for

    from portal.tenancy import tenant_context

    with app.test_request_context("/"), tenant_context(poti):
        assert url_for("tour.index") == "/poti/tour/"


def test_a_tenant_slug_outside_the_prefix_names_a_municipality_and_enters_none(app, poti):
    """``/platform/tenants/<tenant_slug>/admins`` is about Abasha, but runs on the platform."""
    from flask import g, url_for

    from portal.tenancy import get_current_tenant, is_tenant_endpoint, tenant_context

    assert is_tenant_endpoint(app, "tour.index") and is_tenant_endpoint(app, "home.index")
    assert not is_tenant_endpoint(app, "platform_admin.appoint")
    assert not is_tenant_endpoint(app, "no.such_endpoint")
    with app.test_request_context("/platform/tenants/abasha/admins", method="POST"):
        app.preprocess_request()
        assert g.get("tenant") is None and get_current_tenant() is None
    with app.test_request_context("/"), tenant_context(poti):
        assert url_for("platform_admin.appoint", tenant_slug="abasha") == "/platform/tenants/abasha/admins"


def test_a_held_directory_is_not_read_again_until_released(app, monkeypatch):
    """The demo's loaders hold it: on SQLite a re-read between their writes would wait for
    their lock (a slow machine outlasts the TTL)."""
    from portal.tenancy import TenantDirectory

    directory = TenantDirectory(app, ttl=0)
    reads = []
    fresh = TenantDirectory._fresh

    def counted(self):
        before = self._loaded_at
        fresh(self)
        reads.extend([1] if self._loaded_at != before else [])

    monkeypatch.setattr(TenantDirectory, "_fresh", counted)
    with directory.held():
        assert directory.by_slug("poti") is not None and directory.by_slug("abasha") is not None
        assert len(reads) == 1
    assert directory.ttl == 0
    directory.by_slug("poti")
    assert len(reads) == 2
