"""HTTP caching rules for every response, in one ``after_request``.

- Staff and account pages (a path with an ``admin``, ``platform``, ``accounts`` or
  ``unsubscribe`` segment) and every response to a signed-in person: ``Cache-Control:
  no-store``. The app's static files are the same for everyone and stay cacheable.
- A response that sets a cookie is never left for a shared cache: it becomes
  ``private, no-cache``. Flask writes the session cookie after every ``after_request``, so
  whether it will is asked of the session itself.

The page cache (``pagecache.py``, ``shell.py``) is in-process and only for anonymous
visitors; this module decides what browsers and proxies may keep.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from werkzeug.routing import Rule

#: URL segments of pages that are personal or for staff.
PRIVATE_SEGMENTS = frozenset({"admin", "platform", "accounts", "unsubscribe"})
#: Endpoints the same for every visitor, signed in or not.
SHARED_ENDPOINTS = frozenset({"static"})


def is_private_rule(rule: Rule) -> bool:
    """A route whose pages are for staff or about one person's account."""
    return bool(PRIVATE_SEGMENTS & set(rule.rule.strip("/").split("/")))


def set_cache_headers(response: Response) -> Response:
    if request.endpoint in SHARED_ENDPOINTS:
        return response
    if (request.url_rule is not None and is_private_rule(request.url_rule)) or _signed_in():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    elif _sets_cookie(response) and _shared_cacheable(response):
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def _signed_in() -> bool:
    # No session cookie means nobody is signed in; reading the session then would only add
    # "Vary: Cookie" to a public page.
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    return "_user_id" in session


def _sets_cookie(response: Response) -> bool:
    if response.headers.getlist("Set-Cookie"):
        return True
    state = session._get_current_object()
    interface = current_app.session_interface
    if interface.is_null_session(state):
        return False
    # Read as a plain dict: the session's own getters would mark it accessed (Vary: Cookie).
    permanent = dict.get(state, "_permanent", False)
    refresh = permanent and current_app.config["SESSION_REFRESH_EACH_REQUEST"] and dict.__len__(state)
    return bool(state.modified or refresh)


def _shared_cacheable(response: Response) -> bool:
    directives = {part.strip().split("=")[0].lower()
                  for part in response.headers.get("Cache-Control", "").split(",")}
    return not directives & {"private", "no-store"}


def init_caching(app: Flask) -> None:
    app.after_request(set_cache_headers)
