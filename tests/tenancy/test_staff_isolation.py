"""Isolation, proven over the whole URL map: every staff route, read and write.

The test walks ``app.url_map``, so routes added later are covered without editing it:
- a staff route (a path with an ``admin`` or ``platform`` segment) must declare a permission;
- Poti's staff get 403 or 404 on Abasha's pages and on Abasha's objects under Poti's prefix;
- a person whose roles here lack the permission gets 403; a signed-out visitor is sent to
  sign-in; and none of those requests changes anything.
A route with a URL argument names an object; ``OBJECTS`` says how to make one in a given
municipality. A new argument name fails ``test_every_object_argument_has_a_factory`` until
its feature adds a factory here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.web.permissions import ROLES, declared_permission, is_staff_rule
from tests.helpers import csrf_token
from tests.petitions import factories as petitions
from tests.sessions.admin import factories as council
from tests.staff_fixtures import signed_in

#: Tables whose row counts must not move when a request is refused.
WATCHED_TABLES = ("users", "role_assignments", "tenant_settings", "audit_entries", "account_tokens", "tenants",
                 "outbox_messages", "council_sessions", "council_agenda_items", "council_documents",
                 "council_attendance", "council_bodies", "council_members", "council_memberships",
                 "council_recordings", "council_transcript_segments")


def _staff_member(app, staff, tenant) -> str:
    return str(staff(tenant, ["editor"]).id)


def _failed_job_run(app, staff, tenant) -> str:
    from portal.jobs.models import JobRun

    with app.app_context():
        run = JobRun(task_id=f"isolation-{tenant.slug}", name="send_outbox", tenant_id=tenant.id,
                     state="failed")
        db.session.add(run)
        db.session.commit()
        return str(run.id)


def _recording(app, staff, tenant) -> str:
    from tests.sessions.admin_recordings.factories import make_recording

    return str(make_recording(app, tenant).recording)


def _segment(app, staff, tenant) -> str:
    # A line of the recording made just before (OBJECTS is made in order).
    from tests.sessions.admin_recordings.factories import latest_segment

    return str(latest_segment(app, tenant))


#: URL argument → (app, staff fixture, tenant) → a value naming an object of that tenant.
OBJECTS: dict[str, Callable] = {
    "user_id": _staff_member,
    "job_run_id": _failed_job_run,
    "tenant_slug": lambda app, staff, tenant: tenant.slug,
    # Not an object of a municipality: the feature whose settings page it is.
    "feature_slug": lambda app, staff, tenant: "petitions",
    "recording_id": _recording,
    "segment_id": _segment,
    # The clerk's council pages (issue 5).
    "session_id": lambda app, staff, tenant: str(council.make_session(app, tenant, status="held")),
    "agenda_item_id": lambda app, staff, tenant: str(council.make_item(app, tenant)),
    "document_id": lambda app, staff, tenant: str(council.make_document(app, tenant)),
    "body_id": lambda app, staff, tenant: str(council.make_body(app, tenant)),
    "member_id": lambda app, staff, tenant: str(council.make_member(app, tenant)),
    "membership_id": lambda app, staff, tenant: str(council.make_membership(app, tenant)),
    # Petitions (issue 12).
    "petition_id": lambda app, staff, tenant: str(petitions.make_petition(app, tenant)),
}


def staff_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if is_staff_rule(r.rule)), key=lambda r: r.rule)


def _per_tenant(rule) -> bool:
    return rule.rule.startswith("/<tenant_slug>/")


def _arguments(rule) -> set[str]:
    """The objects a rule names (the municipality of its prefix aside)."""
    return set(rule.arguments) - ({"tenant_slug"} if _per_tenant(rule) else set())


def _url(app, rule, tenant_slug, objects: dict[str, str]) -> str:
    values = {arg: objects[arg] for arg in _arguments(rule)}
    if _per_tenant(rule):
        values["tenant_slug"] = tenant_slug
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {t: db.session.execute(select(func.count()).select_from(text(t))).scalar_one()
                for t in WATCHED_TABLES}


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


def test_every_object_argument_has_a_factory(app):
    missing = {arg for r in staff_rules(app) for arg in _arguments(r)} - set(OBJECTS)
    assert not missing, f"add factories to OBJECTS in {__file__} for: {sorted(missing)}"


@pytest.fixture
def world(app, staff, poti, abasha):
    """Poti's admin, Poti's and Abasha's objects, and a CSRF token for the admin's session."""
    objects = {t.slug: {arg: make(app, staff, t) for arg, make in OBJECTS.items()} for t in (poti, abasha)}
    admin = staff(poti, ["admin"])
    client = app.test_client()
    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/staff").text)
    return {"objects": objects, "client": client, "token": token, "admin": admin}


def test_poti_staff_cannot_reach_abasha(app, world):
    client, token, objects = world["client"], world["token"], world["objects"]
    before = _counts(app)
    failures = []
    for rule in staff_rules(app):
        for method in _methods(rule):
            cases = []
            if _per_tenant(rule):
                cases.append(_url(app, rule, "abasha", objects["abasha"]))  # Abasha's own pages
                # (a feature's name is the same everywhere: no municipality's object)
                if _arguments(rule) - {"feature_slug"}:
                    cases.append(_url(app, rule, "poti", objects["abasha"]))  # Abasha's ids at Poti
            else:
                cases.append(_url(app, rule, None, objects["abasha"]))  # platform: not a platform admin
            for url in cases:
                status = _call(client, method, url, token).status_code
                if status not in (403, 404):
                    failures.append(f"{method} {url}: {status}")
    assert failures == []
    assert _counts(app) == before


def test_a_role_without_the_permission_gets_403(app, staff, poti):
    before = None
    failures = []
    objects = {arg: make(app, staff, poti) for arg, make in OBJECTS.items()}
    for rule in staff_rules(app):
        permission = declared_permission(app.view_functions[rule.endpoint])
        lacking = [role for role, perms in ROLES.items() if permission not in perms]
        people = [staff(poti, [lacking[0]])] if lacking else []
        people.append(staff(poti, [], kind="staff"))  # staff with no role here at all
        for person in people:
            client = app.test_client()
            signed_in(client, person)
            token = csrf_token(client.get("/poti/accounts/sign-in").text)
            before = before or _counts(app)
            for method in _methods(rule):
                url = _url(app, rule, "poti", objects)
                status = _call(client, method, url, token).status_code
                if status != 403:
                    failures.append(f"{method} {url} as {lacking[:1] or 'no role'}: {status}")
    assert failures == []


def test_signed_out_visitors_are_sent_to_sign_in(app, staff, poti):
    objects = {arg: make(app, staff, poti) for arg, make in OBJECTS.items()}
    client = app.test_client()
    token = csrf_token(client.get("/poti/accounts/sign-in").text)
    before = _counts(app)
    for rule in staff_rules(app):
        for method in _methods(rule):
            url = _url(app, rule, "poti", objects)
            response = _call(client, method, url, token)
            assert response.status_code == 303, url
            assert "/accounts/sign-in" in response.headers["Location"]
    assert _counts(app) == before


def test_citizens_are_not_staff(app, staff, poti):
    objects = {arg: make(app, staff, poti) for arg, make in OBJECTS.items()}
    citizen = staff(poti, [], kind="citizen", password=None, enrolled=False)
    client = app.test_client()
    signed_in(client, citizen)
    for rule in staff_rules(app):
        if "GET" in rule.methods:
            status = client.get(_url(app, rule, "poti", objects)).status_code
            assert status in (303, 403), rule.rule


def test_audit_search_never_shows_another_municipality(app, world, abasha):
    from portal.services import audit
    from portal.tenancy import tenant_context

    with app.app_context(), tenant_context(abasha):
        audit.record("staff.invited", target="abasha-secret-target", tenant_id=abasha.id)
        db.session.commit()
    response = world["client"].get("/poti/admin/audit?q=abasha-secret-target")
    assert response.status_code == 200 and "<td>abasha-secret-target</td>" not in response.text
    assert "abasha-secret-target" not in world["client"].get("/poti/admin/audit").text


def test_staff_list_shows_only_this_municipality(app, world):
    abasha_id = world["objects"]["abasha"]["user_id"]
    page = world["client"].get("/poti/admin/staff").text
    assert f"/poti/admin/staff/{abasha_id}\"" not in page
