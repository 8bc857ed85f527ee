"""Isolation, proven over the whole URL map: every staff route, read and write.

The test walks ``app.url_map``, so routes added later are covered without editing it:
- a staff route (a path with an ``admin`` or ``platform`` segment) must declare a permission;
- Poti's staff get 403 or 404 on Abasha's pages and on Abasha's objects under Poti's prefix;
- a person whose roles here lack the permission gets 403; a signed-out visitor is sent to
  sign-in; and none of those requests changes anything.
A route with a URL argument names an object; the feature's ``tests/<feature>/factories.py``
makes one in a given municipality (tests/factories.py). A new argument without a factory
fails ``tests/test_factories.py``. The public routes have their own walk:
tests/tenancy/test_public_isolation.py.
"""

from __future__ import annotations

import pytest

from portal.web.permissions import ROLES, declared_permission, is_staff_rule
from tests.factories import Objects, is_tenant_rule, owns_something, row_counts
from tests.helpers import csrf_token
from tests.staff_fixtures import make_staff, signed_in


def staff_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if is_staff_rule(r.rule)), key=lambda r: r.rule)


def _url(rule, objects: Objects, tenant_slug: str | None = None) -> str:
    return objects.url(rule, tenant_slug)


def _methods(rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


def _call(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token, "email": "x@example.org", "roles": ["admin"],
                                  "slug": "forged", "name_ka": "x"})


def test_the_walk_finds_the_staff_routes(app):
    endpoints = {r.endpoint for r in staff_rules(app)}
    assert {"admin.index", "admin.settings", "admin.staff", "admin.audit_log",
            "platform_admin.index"} <= endpoints


def test_every_staff_route_declares_a_permission(app):
    undeclared = [r.rule for r in staff_rules(app) if declared_permission(app.view_functions[r.endpoint]) is None]
    assert undeclared == [], f"staff routes without @requires(...): {undeclared}"


@pytest.fixture
def world(app, staff, poti, abasha):
    """Poti's admin, Poti's and Abasha's objects (all made now, before anything is counted),
    and a CSRF token for the admin's session."""
    objects = {t.slug: Objects(app, t) for t in (poti, abasha)}
    for rule in staff_rules(app):
        for made in objects.values():
            made.values(rule)
    admin = staff(poti, ["admin"])
    client = app.test_client()
    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/staff").text)
    return {"objects": objects, "client": client, "token": token, "admin": admin}


def test_poti_staff_cannot_reach_abasha(app, world):
    client, token, abasha = world["client"], world["token"], world["objects"]["abasha"]
    before = row_counts(app)
    failures = []
    for rule in staff_rules(app):
        for method in _methods(rule):
            cases = []
            if is_tenant_rule(rule):
                cases.append(_url(rule, abasha, "abasha"))  # Abasha's own pages
                if owns_something(rule):
                    cases.append(_url(rule, abasha, "poti"))  # Abasha's ids at Poti
            else:
                cases.append(_url(rule, abasha))  # platform: not a platform admin
            for url in cases:
                status = _call(client, method, url, token).status_code
                if status not in (403, 404):
                    failures.append(f"{method} {url}: {status}")
    assert failures == []
    assert row_counts(app) == before


def _signed_in_client(app, person):
    client = app.test_client()
    signed_in(client, person)
    return client, csrf_token(client.get("/poti/accounts/sign-in").text)


def test_a_role_without_the_permission_gets_403(app, poti):
    """For each route, a person holding each role that lacks its permission, and a staff member
    with no role here at all. One signed-in person per role serves every route."""
    objects = Objects(app, poti)
    plan = []
    for rule in staff_rules(app):
        permission = declared_permission(app.view_functions[rule.endpoint])
        lacking = [role for role, perms in ROLES.items() if permission not in perms]
        plan.append((rule, _url(rule, objects, "poti"), lacking + [None]))
    roles = {role for *_, people in plan for role in people}
    clients = {role: _signed_in_client(app, make_staff(app, poti, [role] if role else [], kind="staff"))
               for role in roles}
    before = row_counts(app)
    failures = []
    for rule, url, people in plan:
        for role in people:
            client, token = clients[role]
            for method in _methods(rule):
                status = _call(client, method, url, token).status_code
                if status != 403:
                    failures.append(f"{method} {url} as {role or 'no role'}: {status}")
    assert failures == []
    assert row_counts(app) == before


def _poti_urls(app, poti) -> list[tuple[object, str]]:
    objects = Objects(app, poti)
    return [(rule, _url(rule, objects, "poti")) for rule in staff_rules(app)]


def test_signed_out_visitors_are_sent_to_sign_in(app, poti):
    urls = _poti_urls(app, poti)
    client = app.test_client()
    token = csrf_token(client.get("/poti/accounts/sign-in").text)
    before = row_counts(app)
    for rule, url in urls:
        for method in _methods(rule):
            response = _call(client, method, url, token)
            assert response.status_code == 303, url
            assert "/accounts/sign-in" in response.headers["Location"]
    assert row_counts(app) == before


def test_citizens_are_not_staff(app, staff, poti):
    urls = _poti_urls(app, poti)
    citizen = staff(poti, [], kind="citizen", password=None, enrolled=False)
    client = app.test_client()
    signed_in(client, citizen)
    for rule, url in urls:
        if "GET" in rule.methods:
            status = client.get(url).status_code
            assert status in (303, 403), rule.rule


def test_audit_search_never_shows_another_municipality(app, world, abasha):
    from portal.extensions import db
    from portal.services import audit
    from portal.tenancy import tenant_context

    with app.app_context(), tenant_context(abasha):
        audit.record("staff.invited", target="abasha-secret-target", tenant_id=abasha.id)
        db.session.commit()
    response = world["client"].get("/poti/admin/audit?q=abasha-secret-target")
    assert response.status_code == 200 and "<td>abasha-secret-target</td>" not in response.text
    assert "abasha-secret-target" not in world["client"].get("/poti/admin/audit").text


def test_staff_list_shows_only_this_municipality(app, world):
    abasha_id = world["objects"]["abasha"].value("admin", "user_id")
    page = world["client"].get("/poti/admin/staff").text
    assert f"/poti/admin/staff/{abasha_id}\"" not in page
