"""htmx's request and response headers (pinned to htmx 2.0.x), and nothing else.

The only module that reads ``HX-*`` request headers (through htmx-flask's ``request.htmx``) or
writes ``HX-*`` response headers. Rendering a page or one of its blocks is
``portal/web/rendering.py``'s job.
"""

from __future__ import annotations

import json

from flask import Response, request

#: htmx 2 swap styles, for HX-Reswap (htmx-flask 0.1.0's own list is broken; see tech notes).
SWAP_STYLES = frozenset(
    {"innerHTML", "outerHTML", "beforebegin", "afterbegin", "beforeend", "afterend",
     "delete", "none", "textContent"}
)


def is_fragment_request() -> bool:
    """An htmx request for part of a page: not a boosted navigation nor a history restore."""
    hx = request.htmx
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def add_vary(response: Response) -> Response:
    """Responses differ by ``HX-Request``: caches must not give a fragment for a page."""
    response.vary.add("HX-Request")
    return response


def hx_headers(
    response: Response,
    *,
    location: str | None = None,
    redirect: str | None = None,
    trigger: dict | str | None = None,
    reswap: str | None = None,
    retarget: str | None = None,
    push_url: str | None = None,
) -> Response:
    """Set htmx response headers on ``response`` (an htmx client reads them on 2xx only)."""
    if reswap is not None:
        style = reswap.split()[0]
        if style not in SWAP_STYLES:
            raise ValueError(f"unknown htmx swap style {style!r}")
        response.headers["HX-Reswap"] = reswap
    if location is not None:
        response.headers["HX-Location"] = location
    if redirect is not None:
        response.headers["HX-Redirect"] = redirect
    if trigger is not None:
        response.headers["HX-Trigger"] = trigger if isinstance(trigger, str) else json.dumps(trigger)
    if retarget is not None:
        response.headers["HX-Retarget"] = retarget
    if push_url is not None:
        response.headers["HX-Push-Url"] = push_url
    return response
