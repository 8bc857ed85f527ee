"""Rate limits that operators and tests can change: read from the app's config at request time.

Each public write names its limit in code (``"3 per 600 seconds"``) and a config key that
overrides it (``PORTAL_LETTERS_WRITE_LIMIT``). Flask-Limiter calls a callable limit on every
request, so a changed config takes effect without re-registering the route.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

#: What tests use where a limit is not what they check: every test client is 127.0.0.1.
ROOMY = "10000 per minute"


def configured_limit(key: str, default: str) -> Callable[[], str]:
    """The limit ``config[key]``, or ``default`` when it is unset or empty."""

    def limit() -> str:
        return current_app.config.get(key) or default

    limit.__name__ = f"limit_{key.lower()}"
    return limit


def roomy_in_tests(app: Flask, *keys: str) -> None:
    """Lift the given limits in a testing app unless a test set its own."""
    if app.testing:
        for key in keys:
            app.config.setdefault(key, ROOMY)
