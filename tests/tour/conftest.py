"""An editor of Poti, signed in, in English; helpers to post the editors' forms."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/tour"


@pytest.fixture
def editor(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["editor"]))
    client.set_cookie("lang", "en")
    return client


def post(client, url, data=None, **options):
    """POST ``data`` with the CSRF token of the editors' list page."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{BASE}/").text)
    return client.post(url, data=data, **options)
