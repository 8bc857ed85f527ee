"""Isolation of the public routes, proven over the whole URL map: a public URL naming one of
Poti's things (a session, a document, a member's photo, a sign-in link…) answers 404 under
Abasha's prefix and on Abasha's own domain, shows nothing of Poti's, and a POST to it changes
nothing.

The walk takes every route under ``/<tenant_slug>/`` outside the staff pages
(tests/tenancy/test_staff_isolation.py walks those) whose URL names something; the feature's
``tests/<feature>/factories.py`` makes it (tests/factories.py). Each URL is first checked to
answer under Poti's own prefix, so a factory that makes nothing visible fails too.
"""

from __future__ import annotations

import pytest

from portal.web.permissions import is_staff_rule
from tests.factories import Objects, is_tenant_rule, object_arguments, owns_something, row_counts
from tests.helpers import csrf_token


def public_object_rules(app):
    return sorted((r for r in app.url_map.iter_rules()
                   if is_tenant_rule(r) and not is_staff_rule(r.rule) and object_arguments(r)
                   and owns_something(r)),
                  key=lambda r: r.rule)


def _on_own_domain(path: str, tenant) -> tuple[str, dict]:
    """``/<slug>/x`` as the municipality's own domain serves it: ``/x`` with its Host."""
    return path.removeprefix(f"/{tenant.slug}") or "/", {"Host": tenant.config.domains[0]}


@pytest.fixture
def poti_urls(app, poti):
    """Every public object route with Poti's things, made before anything is counted."""
    objects = Objects(app, poti)
    return [(rule, objects.url(rule, "poti"), objects.url(rule, "abasha"))
            for rule in public_object_rules(app)]


def test_the_walk_finds_the_public_object_routes(app):
    endpoints = {r.endpoint for r in public_object_rules(app)}
    assert {"sessions.show", "sessions.document", "sessions.member_photo", "sessions.api_session",
            "accounts.reset", "home.asset"} <= endpoints


def test_each_url_answers_under_its_own_municipality(app, poti_urls):
    failures = []
    for _rule, own, _foreign in poti_urls:
        response = app.test_client().get(own)
        response.close()
        if response.status_code >= 400:
            failures.append(f"GET {own}: {response.status_code} (its factory makes nothing Poti shows)")
    assert failures == []


@pytest.mark.parametrize("owner_slug", ["poti", "abasha"])
def test_one_municipality_s_things_are_404_at_the_other(app, owner_slug):
    """Under the other's prefix, and on its own domain when it has one (Poti: poti.gov.ge)."""
    directory = app.extensions["tenant_directory"]
    owner = directory.by_slug(owner_slug)
    other = directory.by_slug("abasha" if owner_slug == "poti" else "poti")
    objects = Objects(app, owner)
    client = app.test_client()
    failures = []
    for rule in public_object_rules(app):
        foreign = objects.url(rule, other.slug)
        cases = [(foreign, {})]
        if other.config.domains:
            cases.append(_on_own_domain(foreign, other))
        for url, headers in cases:
            response = client.get(url, headers=headers)
            where = f"GET {headers.get('Host', '')}{url}"
            if response.status_code != 404:
                failures.append(f"{where}: {response.status_code}")
            elif owner.config.name.ka in response.get_data(as_text=True):
                failures.append(f"{where}: shows {owner.config.name.ka}")
            response.close()
    assert failures == []


def test_a_post_to_poti_s_thing_under_abasha_changes_nothing(app, poti_urls):
    client = app.test_client()
    token = csrf_token(client.get("/abasha/accounts/sign-in").text)
    posts = [(rule, foreign) for rule, _own, foreign in poti_urls if "POST" in rule.methods]
    assert posts, "no public POST route names a thing"
    before = row_counts(app)
    failures = []
    for _rule, url in posts:
        # What each form takes: a new password (reset, invitation), a confirmation (sign-in link).
        status = client.post(url, data={"csrf_token": token, "password": "violet tractor honey window 93",
                                        "confirm": "violet tractor honey window 93"}).status_code
        if status != 404:
            failures.append(f"POST {url}: {status}")
    assert failures == []
    assert row_counts(app) == before
