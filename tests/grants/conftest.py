"""Small grants' fixtures: a citizen of each municipality, committee members and the grants
office, signed in."""

from __future__ import annotations

import pytest

from tests.staff_fixtures import signed_in


@pytest.fixture
def citizen(app, staff, poti):
    user = staff(poti, [], kind="citizen", password=None, enrolled=False, email="applicant@example.ge")
    client = app.test_client()
    signed_in(client, user)
    client.set_cookie("lang", "en")
    client.user = user
    return client


def member_client(app, staff, tenant, roles, email, lang="en"):
    user = staff(tenant, roles, email=email)
    client = app.test_client()
    signed_in(client, user)
    client.set_cookie("lang", lang)
    client.user = user
    return client


@pytest.fixture
def committee(app, staff, poti):
    """Two committee members of Poti."""
    return [member_client(app, staff, poti, ["grants_committee"], f"member{i}@poti.example.org")
            for i in (1, 2)]


@pytest.fixture
def office(app, staff, poti):
    return member_client(app, staff, poti, ["grants"], "grants@poti.example.org")
