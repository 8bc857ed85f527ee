"""Unsubscribe links for the URL-map walks (see tests/factories.py). No feature issues them
yet, so a well-formed token names nothing of the municipality's (``owned=False``); the
subscriptions feature makes a real one here when it comes."""

from __future__ import annotations

import secrets

from tests.factories import factory


@factory("unsubscribe", "unsubscribe_token", owned=False)
def _token(objects):
    return secrets.token_urlsafe(24)
