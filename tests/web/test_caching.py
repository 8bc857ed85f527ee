"""HTTP caching over the whole URL map: nothing personal is ever stored, and nothing that a
shared cache may keep sets a cookie.

- every GET under an ``admin``, ``platform`` or ``accounts`` segment answers ``no-store``,
  signed in or not;
- every GET a signed-in person makes answers ``no-store`` (the app's static files excepted:
  they are the same for everyone and set no cookie);
- a public page served to an anonymous visitor either sets no cookie or is ``private``/``no-store``.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from portal.web.caching import is_private_rule
from tests.factories import Objects
from tests.staff_fixtures import sign_in_full, signed_in

STATIC = {"static"}


def _url(app, staff, tenant, rule: Rule) -> str:
    """The rule's path with fresh objects of ``tenant`` from the factories (tests/factories.py)."""
    return Objects(app, tenant).url(rule)


def _get_rules(app, private: bool):
    return sorted((r for r in app.url_map.iter_rules()
                   if "GET" in r.methods and r.endpoint not in STATIC and is_private_rule(r) == private),
                  key=lambda r: r.rule)


def _cache_control(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.headers.get("Cache-Control", "").split(",")}


def _cacheable(response) -> bool:
    return not _cache_control(response) & {"private", "no-store"}


def test_there_are_private_and_public_routes(app):
    assert len(_get_rules(app, True)) > 20 and len(_get_rules(app, False)) > 10


def test_every_private_page_is_no_store_signed_in_or_not(app, poti, staff):
    admin = staff(poti, ["admin"], platform=True)
    for rule in _get_rules(app, True):
        url = _url(app, staff, poti, rule)
        anonymous = app.test_client().get(url)
        anonymous.close()  # a download holds its file open until closed
        assert "no-store" in _cache_control(anonymous), (url, anonymous.status_code)
        client = app.test_client()
        signed_in(client, admin)
        response = client.get(url)
        response.close()
        assert "no-store" in _cache_control(response), (url, response.status_code)


def test_every_page_a_signed_in_person_gets_is_no_store(app, poti, staff):
    admin = staff(poti, ["admin"])
    client = app.test_client()
    signed_in(client, admin)
    for rule in _get_rules(app, False):
        url = _url(app, staff, poti, rule)
        response = client.get(url)
        response.close()
        assert "no-store" in _cache_control(response), (url, response.status_code)


@pytest.mark.parametrize("visits", [1, 2])
def test_public_pages_for_anonymous_visitors_set_no_cookie_when_cacheable(app, poti, staff, visits):
    for rule in _get_rules(app, False) + [r for r in app.url_map.iter_rules() if r.endpoint in STATIC]:
        url = _url(app, staff, poti, rule) if rule.endpoint not in STATIC else "/static/css/portal.css"
        client = app.test_client()
        for _ in range(visits):  # the second visit comes with the first visit's cookie
            response = client.get(url)
            response.close()
        if response.headers.getlist("Set-Cookie"):
            assert not _cacheable(response), (url, response.headers.get("Cache-Control"))


def test_a_signed_in_person_s_static_files_stay_cacheable_and_set_no_cookie(app, poti, staff):
    client = app.test_client()
    assert sign_in_full(client, "poti", staff(poti, ["admin"])).status_code == 303  # a permanent session
    assert "no-store" in _cache_control(client.get("/poti/admin/"))
    response = client.get("/static/css/portal.css")
    response.close()
    assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
    assert "public" in _cache_control(response)


def test_the_home_page_from_the_page_cache_follows_the_same_rules(app, client, poti, staff, cached):
    first = client.get("/poti/")
    assert not first.headers.getlist("Set-Cookie") or not _cacheable(first)
    signed_in(client, staff(poti, ["editor"]))
    assert "no-store" in _cache_control(client.get("/poti/"))
