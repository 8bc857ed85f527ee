"""An editor of Poti, signed in, in English; helpers to post the editors' forms."""

from __future__ import annotations

from tests.helpers import csrf_token

BASE = "/poti/admin/projects"


def post(client, url, data=None, **options):
    """POST ``data`` with the CSRF token of the editors' list page."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{BASE}/").text)
    return client.post(url, data=data, **options)
