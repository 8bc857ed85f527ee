"""Test helpers: htmx headers, CSRF tokens from rendered forms, SQL statement counting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

HTMX = {"HX-Request": "true"}
HTMX_BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a rendered page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
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
