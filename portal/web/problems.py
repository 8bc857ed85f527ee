"""Errors of JSON APIs as problem details (RFC 9457, ``application/problem+json``).

A feature declares where its API lives (``answer_problems_under``); ``web/errors.py`` then
answers every error there (a router's 404 or 405, a view's 400, a 429, a 500) with a problem
body instead of an HTML page. Routing errors happen before any blueprint is known, so the
scope is a path pattern, not a blueprint's error handler.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

_EXTENSION = "portal.problem_paths"
MEDIA_TYPE = "application/problem+json"


def answer_problems_under(app: Flask, url_prefix: str) -> None:
    """Errors of requests under ``url_prefix`` (a rule prefix such as
    ``/<tenant_slug>/sessions/api``; each ``<converter>`` matches one path segment) answer JSON."""
    parts = re.split(r"<[^>]+>", url_prefix)
    pattern = "[^/]+".join(re.escape(part) for part in parts)
    app.extensions.setdefault(_EXTENSION, []).append(re.compile(f"^{pattern}(?:/|$)"))


def wanted() -> bool:
    """Whether the current request's errors answer problem details."""
    if not has_request_context():
        return False
    return any(p.match(request.path) for p in current_app.extensions.get(_EXTENSION, ()))


def given_detail(error: HTTPException) -> str | None:
    """The reason a view gave with ``abort(code, description=…)`` (already translated), not
    Werkzeug's stock English sentence."""
    stock = type(error).description
    return error.description if error.description and error.description != stock else None


def problem(code: int, title, detail) -> object:
    """The problem body: ``type`` is ``about:blank``, so ``title`` is the status's meaning."""
    response = jsonify(type="about:blank", title=str(title), status=code, detail=str(detail))
    response.status_code = code
    response.mimetype = MEDIA_TYPE
    return response
