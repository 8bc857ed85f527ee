"""One URL, two renderings: a full page, or for htmx a named block of the same template.

``render`` is what every view calls; ``render_public`` is the same for pages that depend only
on the municipality, language and host, served to anonymous visitors from the page cache.
The pieces it builds on each know one thing: ``htmx.py`` the headers, ``pagecache.py`` the
store, ``shell.py`` the cached layout around a page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, g, make_response, render_template
from jinja2_fragments.flask import render_block

from portal.web.htmx import add_vary, is_fragment_request
from portal.web.pagecache import (
    CSRF_SLOT,
    PATH_SLOT,
    cache_seconds,
    get_page_cache,
    page_key,
    visitor_is_anonymous,
)
from portal.web.shell import fill_slots, render_page


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render ``template``; for a fragment request render only ``block`` of it."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        body = render_page(template, **context)
    response = make_response(body, status)
    add_vary(response)
    return response


def render_public(template: str, block: str | None = None, *,
                  compute: Callable[[], dict] | None = None, **context) -> Response:
    """``render()`` for pages that depend only on the municipality, language and host.

    Fragment requests and visitors with session state are rendered as usual. Only for views
    whose output has no per-visitor or per-query-string content besides the CSRF token.
    ``compute()`` returns more of the context; it is called only when the page is rendered,
    so the queries behind a page served from the cache are not run.
    """
    ttl = cache_seconds()
    if ttl <= 0 or is_fragment_request() or not visitor_is_anonymous():
        return render(template, block=block, **context, **(compute() if compute else {}))
    key = page_key(template)
    cache = get_page_cache(current_app)
    page = cache.get(key, ttl)
    if page is None:
        page = render_template(template, csrf_token=lambda: CSRF_SLOT,
                               current_path=lambda: PATH_SLOT, **context,
                               **(compute() if compute else {}))
        # A form built by the view (a FlaskForm makes its token when built) holds this
        # visitor's real token: stored as the slot, so every visitor gets their own.
        made = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if made:
            page = page.replace(made, CSRF_SLOT)
        cache.put(key, page)
    body = fill_slots(page)
    response = Response(body, mimetype="text/html")
    add_vary(response)
    return response
