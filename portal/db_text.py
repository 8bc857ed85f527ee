"""Text bound for the database never carries a NUL character.

PostgreSQL refuses NUL in text (the driver raises before the statement is sent) and SQLite
stores it, so one municipality's data would differ by database. Requests with NUL are refused
earlier (``web/inputs.py``), but text also arrives from the sync (YouTube and Facebook
titles and captions), transcript files and extracted documents. One listener on every engine
strips NUL from every string parameter, whether it comes from the ORM, a Core ``insert`` or a
bulk ``executemany``: no caller can forget it. Bytes (stored files) are not touched.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _clean(value):
    return value.replace("\x00", "") if type(value) is str and "\x00" in value else value


def _clean_set(parameters):
    if isinstance(parameters, dict):
        if any(type(v) is str and "\x00" in v for v in parameters.values()):
            return {key: _clean(value) for key, value in parameters.items()}
        return parameters
    if isinstance(parameters, (list, tuple)):
        if any(type(v) is str and "\x00" in v for v in parameters):
            return type(parameters)(_clean(value) for value in parameters)
    return parameters


def _strip_nul(conn, cursor, statement, parameters, context, executemany):
    if not parameters:
        return statement, parameters
    if executemany:
        cleaned = [_clean_set(p) for p in parameters]
        if any(new is not old for new, old in zip(cleaned, parameters, strict=True)):
            return statement, type(parameters)(cleaned) if isinstance(parameters, tuple) else cleaned
        return statement, parameters
    return statement, _clean_set(parameters)


def install_nul_guard() -> None:
    """Strip NUL from string parameters on every engine (idempotent)."""
    if not event.contains(Engine, "before_cursor_execute", _strip_nul):
        event.listen(Engine, "before_cursor_execute", _strip_nul, retval=True)
