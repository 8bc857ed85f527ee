"""A short-lived cache of whole public pages, for anonymous visitors.

A municipality's home page is the same for every anonymous visitor of one municipality,
language and host except for the CSRF token (the language form, htmx's header) and the path
the language form returns to. Rendering it costs about four times a bare request
(docs/performance.md); serving it from this cache costs little more than a bare request.

The page is rendered once per key with placeholders for those two values, which are filled
in per request. Entries live ``PORTAL_PAGE_CACHE_SECONDS``: 10 in production, as the tenant
directory, so content that a later feature adds to a cached page shows within that time; 0
(off) in development and tests, so template edits and test data show at once. Visitors whose
session holds anything but a CSRF token (flash messages, a login) always get a fresh page, so
nothing personal is ever cached or served to someone else.
"""

from __future__ import annotations

import threading
import time

from flask import Response, current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from portal.i18n import current_lang
from portal.tenancy import get_current_tenant, public_path
from portal.tenancy.resolve import host_tenant_slug
from portal.web.htmx import add_vary, is_fragment_request, render

CSRF_SLOT = "\x1bcsrf-token\x1b"
PATH_SLOT = "\x1bcurrent-path\x1b"
#: Session keys an anonymous visitor has; anything else means the page may be personal.
#: (Flask-Login's session protection writes ``_fresh`` into a visitor's session from their
#: second request on, signed in or not; a signed-in session also holds ``_user_id``.)
ANONYMOUS_KEYS = frozenset({"csrf_token", "_fresh"})
MAX_ENTRIES = 256


class PageCache:
    def __init__(self) -> None:
        self._pages: dict[tuple, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, ttl: float) -> str | None:
        entry = self._pages.get(key)
        if entry is None or time.monotonic() - entry[0] >= ttl:
            return None
        return entry[1]

    def put(self, key: tuple, page: str) -> None:
        with self._lock:
            if len(self._pages) >= MAX_ENTRIES:
                self._pages.clear()
            self._pages[key] = (time.monotonic(), page)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def get_page_cache(app) -> PageCache:
    return app.extensions.setdefault("page_cache", PageCache())


def render_public(template: str, block: str | None = None, **context) -> Response:
    """``render()`` for pages that depend only on the municipality, language and host.

    Fragment requests and visitors with session state are rendered as usual. Only for views
    whose output has no per-visitor or per-query-string content besides the CSRF token.
    """
    ttl = float(current_app.config.get("PORTAL_PAGE_CACHE_SECONDS", 0))
    if ttl <= 0 or is_fragment_request() or not set(session.keys()) <= ANONYMOUS_KEYS:
        return render(template, block=block, **context)
    tenant = get_current_tenant()
    key = (template, request.endpoint, tenant and tenant.id, tenant and tenant.updated_at,
           current_lang(), host_tenant_slug(), request.scheme, request.path)
    cache = get_page_cache(current_app)
    page = cache.get(key, ttl)
    if page is None:
        page = render_template(template, csrf_token=lambda: CSRF_SLOT,
                               current_path=lambda: PATH_SLOT, **context)
        cache.put(key, page)
    body = page.replace(CSRF_SLOT, generate_csrf()).replace(PATH_SLOT, str(escape(public_path())))
    response = Response(body, mimetype="text/html")
    add_vary(response)
    return response
