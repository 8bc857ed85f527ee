"""Refuse input no form can use before any view sees it.

NUL characters and undecodable bodies give a localised 400, ids beyond the database's integer
range a 404, instead of a database error (PostgreSQL rejects NUL in text) or a 500.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: Largest id a database integer column holds (PostgreSQL INTEGER, SQLite is wider).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` that stops at the database's range: a longer number is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def init_input_guard(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_unusable_input():
        if "\x00" in request.path or _has_nul(request.args):
            abort(400)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                form = request.form
                files = request.files
            except ValueError:
                abort(400)
            if _has_nul(form) or any("\x00" in (f.filename or "") for f in files.values()):
                abort(400)
