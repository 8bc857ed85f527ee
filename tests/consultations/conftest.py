"""A consultations manager of Poti (an editor), signed in, in English; helpers to post forms."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/consultations"


@pytest.fixture
def manager(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["editor"]))
    client.set_cookie("lang", "en")
    return client


def post(client, url, data=None, **options):
    """POST ``data`` with the CSRF token of the staff's list page."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{BASE}/").text)
    return client.post(url, data=data, **options)


@pytest.fixture(autouse=True)
def _roomy_limit(app, monkeypatch):
    """Every POST counts against the comment limit: the tests that post many forms from one
    address get a larger one (the rate-limit test sets its own)."""
    monkeypatch.setitem(app.config, "PORTAL_CONSULTATIONS_COMMENT_LIMIT", "1000 per 600 seconds")
