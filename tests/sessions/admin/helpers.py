"""Request helpers of the clerk's admin tests: CSRF-carrying posts, plain or through htmx."""

from __future__ import annotations

from tests.helpers import HTMX, csrf_token


def post(client, url: str, data: dict | None = None, *, htmx: bool = False, token_from: str = "/poti/admin/"):
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client.get(token_from).text))
    return client.post(url, data=data, headers=HTMX if htmx else {},
                       content_type="multipart/form-data")


def english(client):
    """Answers in English, so assertions read like the msgids."""
    client.set_cookie("lang", "en")
    return client
