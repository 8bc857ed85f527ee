"""One URL, two renderings: a full page, or for htmx a named block of the same template.

The only module that knows htmx's request and response headers (pinned to htmx 2.0.x).
"""

from __future__ import annotations

import json

from flask import Response, make_response, request
from jinja2_fragments.flask import render_block

#: htmx 2 swap styles, for HX-Reswap (htmx-flask 0.1.0's own list is broken; see tech notes).
SWAP_STYLES = frozenset(
    {"innerHTML", "outerHTML", "beforebegin", "afterbegin", "beforeend", "afterend",
     "delete", "none", "textContent"}
)


def is_fragment_request() -> bool:
    """An htmx request for part of a page: not a boosted navigation nor a history restore."""
    hx = request.htmx
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render ``template``; for a fragment request render only ``block`` of it."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        from portal.web.shell import render_page  # shell builds on pagecache, which uses us

        body = render_page(template, **context)
    response = make_response(body, status)
    add_vary(response)
    return response


def add_vary(response: Response) -> Response:
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
