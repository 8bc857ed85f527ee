"""A file over the request limit: back to the form with a message, not an error page.

Werkzeug refuses a body over ``MAX_CONTENT_LENGTH`` when the form is first parsed (the CSRF
check, before any view runs), so nothing was read and nothing changed. A view that takes files
declares with ``@too_large_returns_to(...)`` where its form lives and the file field's own
limit; the 413 handler (``web/errors.py``) then sends the visitor back to that page with a
message naming the limit, in their language. It redirects rather than renders the form
because the view's ``@requires`` has not run: the form page's GET checks sign-in, permission
and municipality as always. Every other 413 keeps the generic error page.

For those forms the refused body is read to its end first (``drain_refused_body``), and only
for a visitor allowed to use the form: everyone else was answered before anything read the body
(``permissions.enforce_declarations``). A server that answers and closes the connection while
the browser is still sending (gunicorn does) makes Chromium show a connection error instead of
the answer. Other 413s are answered without reading
the body: only a file form is a place where a visitor sends megabytes in good faith, and reading
whatever anyone sends anywhere would tie up a worker for as long as the sender likes.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.web.htmx import add_vary, hx_headers, is_fragment_request
from portal.web.permissions import allowed, declared_permission

#: A refused body is read to its end up to this size (beyond, the connection may be reset):
#: far above any file the portal takes, low enough that a refusal ends in seconds on a LAN.
DRAIN_LIMIT = 128 * 1024 * 1024
CHUNK = 64 * 1024


def too_large_returns_to(endpoint: str, *, limit: int) -> Callable:
    """Declare the page (``endpoint``, given the view's own URL arguments) whose form posts
    to this view, and the largest file it takes (``limit`` bytes, stated in whole MB)."""
    def declare(view: Callable) -> Callable:
        view.too_large_returns_to = (endpoint, limit)
        return view

    return declare


def _refused_unread() -> bool:
    """Refused for its declared length, before anything was read (not, say, a form field over
    ``MAX_FORM_MEMORY_SIZE`` found while parsing)."""
    limit = request.max_content_length
    return limit is not None and (request.content_length or 0) > limit


def drain_refused_body() -> None:
    """Read and discard a body refused unread, up to ``DRAIN_LIMIT``, so that the browser has
    sent it all and reads the answer. Reads the raw WSGI input (``request.stream`` refuses a
    body over the limit), never past the declared length."""
    if not _refused_unread():
        return
    stream = request.environ["wsgi.input"]
    remaining = min(request.content_length or 0, DRAIN_LIMIT)
    while remaining > 0:
        chunk = stream.read(min(remaining, CHUNK))
        if not chunk:
            break
        remaining -= len(chunk)


def back_to_form() -> Response | None:
    """For a request over ``MAX_CONTENT_LENGTH`` to a view declared with
    ``too_large_returns_to``: a flashed message and a way back to its form (303, or for an
    htmx fragment request HX-Redirect, since htmx would swap the page a 303 leads to into the
    region). None otherwise, e.g. for a form field over ``MAX_FORM_MEMORY_SIZE``."""
    view = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(view, "too_large_returns_to", None)
    if declared is None or not _refused_unread():
        return None
    endpoint, file_limit = declared
    permission = declared_permission(view)
    if permission and not allowed(permission):
        return None  # never read a body for someone who may not send it (the hook refuses first)
    drain_refused_body()
    flash(_("The file is larger than %(size)s MB, so nothing was saved. Choose a smaller file "
            "and send the form again.", size=file_limit // (1024 * 1024)), "error")
    url = url_for(endpoint, **(request.view_args or {}))
    if is_fragment_request():
        return add_vary(hx_headers(Response(status=200), redirect=url))
    return add_vary(redirect(url, code=303))
