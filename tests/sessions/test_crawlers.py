"""robots.txt and a sitemap per municipality, /favicon.ico on every host."""

from __future__ import annotations

from xml.etree import ElementTree

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locations(xml: bytes) -> list[str]:
    return [e.text for e in ElementTree.fromstring(xml).iter(f"{SITEMAP_NS}loc")]


def test_municipality_robots_points_at_its_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/poti/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/poti/sitemap.xml" in response.text
    assert "Disallow: /poti/admin/" in response.text


def test_own_domain_has_its_own_robots_and_sitemap(client):
    robots = client.get("/robots.txt", headers={"Host": "poti.gov.ge"}).text
    assert "Sitemap: http://poti.gov.ge/sitemap.xml" in robots and "Disallow: /admin/" in robots
    sitemap = client.get("/sitemap.xml", headers={"Host": "poti.gov.ge"})
    assert sitemap.status_code == 200
    assert "http://poti.gov.ge/sessions/" in _locations(sitemap.data)


def test_shared_host_robots_lists_every_municipality_and_keeps_out_of_the_platform(client):
    robots = client.get("/robots.txt").text
    assert "Disallow: /platform/" in robots
    assert "Sitemap: http://localhost/poti/sitemap.xml" in robots
    assert "Sitemap: http://localhost/abasha/sitemap.xml" in robots


def test_sitemap_lists_the_public_pages_of_that_municipality_only(client, archives):
    response = client.get("/poti/sitemap.xml")
    assert response.mimetype == "application/xml"
    locations = _locations(response.data)
    poti, abasha = archives["poti"], archives["abasha"]
    assert "http://localhost/poti/" in locations
    assert f"http://localhost/poti/sessions/{poti.session.id}" in locations
    assert "http://localhost/poti/sessions/members/nino" in locations
    assert f"http://localhost/poti/sessions/{abasha.session.id}" not in locations
    assert not [url for url in locations if "/admin" in url or "/accounts" in url]


def test_favicon_answers_on_every_host(client):
    for url, host in (("/favicon.ico", "localhost"), ("/poti/favicon.ico", "localhost"),
                      ("/favicon.ico", "poti.gov.ge")):
        with client.get(url, headers={"Host": host}, follow_redirects=True) as response:
            assert response.status_code == 200 and response.mimetype == "image/svg+xml", url


def test_api_page_describes_every_endpoint_of_the_openapi_document(client, archives):
    document = client.get("/poti/sessions/api/openapi.json").get_json()
    client.set_cookie("lang", "en")
    page = client.get("/poti/sessions/api/")
    assert page.status_code == 200 and "<html" in page.text
    for path, operations in document["paths"].items():
        assert path in page.text
        for operation in operations.values():
            assert operation["summary"] in page.text
    assert 'href="/poti/sessions/api/openapi.json"' in page.text


def test_footer_and_head_link_the_feeds_and_the_api(client):
    for url in ("/poti/", "/poti/sessions/"):
        html = client.get(url).text
        assert '<link rel="alternate" type="text/calendar"' in html
        assert 'href="/poti/sessions/calendar.ics"' in html
        assert '<link rel="alternate" type="application/json"' in html
        footer = html.split('<footer', 1)[1]
        assert 'href="/poti/sessions/calendar.ics"' in footer
        assert 'href="/poti/sessions/api/"' in footer
