"""Refuse input no form can use before any view sees it, and parse numbers one way.

NUL characters and undecodable bodies give a localised 400, ids beyond the database's integer
range a 404, instead of a database error (PostgreSQL rejects NUL in text) or a 500. Numbers
from query strings and forms go through ``parse_int`` (``int_arg``, ``BoundedIntegerField``,
``db_int``): ASCII digits within the database's range, so ``9223372036854775808``, ``²`` or a
30-digit id is "not a number" rather than an overflow in the driver.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

#: Largest id a database integer column holds (PostgreSQL INTEGER, SQLite is wider).
MAX_ID = 2**31 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``value`` as an int when it is ASCII digits (an optional ``-``) within
    ``minimum..maximum``, else None. ``int()`` alone takes "²"-like digits of other scripts
    (or raises on some), underscores and any length."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def int_arg(name: str, default: int | None = None, *, minimum: int = 0,
            maximum: int = MAX_ID, clamp: bool = True, source=None) -> int | None:
    """A query argument as a bounded int (``source`` defaults to ``request.args``).

    A missing or unusable value gives ``default``. A number out of bounds gives the nearest
    bound when ``clamp`` (a page past the last shows the last, not an error), else
    ``default`` (an id or a year filter that cannot be meant). Never raises."""
    raw = (request.args if source is None else source).get(name)
    number = parse_int(raw, minimum=-(2**63), maximum=2**63 - 1)
    if number is None:
        return default
    if not clamp:
        return number if minimum <= number <= maximum else default
    return min(max(number, minimum), maximum)


def db_int(value) -> int:
    """``coerce=`` for SelectField: an id the database can hold, else ValueError (the field
    then reports an invalid choice)."""
    number = parse_int(value, minimum=-MAX_ID - 1)
    if number is None:
        raise ValueError("not a number the database can hold")
    return number


class BoundedIntegerField(IntegerField):
    """IntegerField that refuses what the database cannot store (and non-ASCII digits)."""

    def __init__(self, label=None, validators=None, *, minimum: int = -MAX_ID - 1,
                 maximum: int = MAX_ID, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            return
        number = parse_int(valuelist[0], minimum=self.minimum, maximum=self.maximum)
        if number is None:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        self.data = number


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
