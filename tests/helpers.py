"""Test helpers: htmx headers, CSRF tokens from rendered forms, SQL statement counting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

HTMX = {"HX-Request": "true"}
HTMX_BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a rendered page, else htmx's header on <body>
    (there only for a visitor who already has a token: a page without a form makes none)."""
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert match, "no CSRF token on the page"
    return match.group(1)


@contextmanager
def count_queries(engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def get_in_own_context(app, url, **kwargs):
    """``client.get`` in an application context of its own, as a real request has (the
    fixtures keep one open, and Flask-Babel keeps the request's language in ``g``)."""
    client = kwargs.pop("client", None) or app.test_client()
    with app.app_context():
        return client.get(url, **kwargs)


def shared_host_path(url: str) -> str:
    """The shared host's path for an absolute link from a message (the test client serves the
    shared host): ``http://poti.gov.ge/x`` → ``/poti/x``, ``http://localhost:5000/abasha/x`` →
    ``/abasha/x``."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    slug = _slugs_by_domain().get(parts.hostname or "")
    return f"/{slug}{path}" if slug else path


def _slugs_by_domain() -> dict[str, str]:
    from pathlib import Path

    from portal.tenancy.registry import read_all

    configs = read_all(Path(__file__).resolve().parent.parent / "tenants")
    return {domain: c.slug for c in configs for domain in c.domains}
