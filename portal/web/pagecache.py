"""A short-lived store of rendered public pages and layouts, for anonymous visitors.

This module only stores: it says whether a visitor may be served from the store, builds the
keys (municipality, language, host, page) and keeps entries ``PORTAL_PAGE_CACHE_SECONDS`` (10
in production, as the tenant directory; 0, off, in development and tests). What is rendered
into it, and how the per-visitor values are filled in, is ``portal/web/rendering.py`` and
``portal/web/shell.py``.

A municipality's home page is the same for every anonymous visitor of one municipality,
language and host except for the CSRF token (a form's, htmx's header) and the path the
language form returns to: pages are stored with the placeholders ``CSRF_SLOT``,
``HTMX_CSRF_SLOT`` and ``PATH_SLOT`` for those values. A token is made only for a page that
holds a form needing one: a page without such a form (a petition's page, whose sign form is
a page of its own) sets no cookie, and a cache in front (deploy/nginx) may keep it.

Visitors whose session holds anything but a CSRF token (flash messages, a login) are never
served from, nor stored in, the cache, so nothing personal is ever kept or served to someone
else.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, request, session

from portal.i18n import current_lang
from portal.tenancy import get_current_tenant
from portal.tenancy.resolve import host_tenant_slug

CSRF_SLOT = "\x1bcsrf-token\x1b"
PATH_SLOT = "\x1bcurrent-path\x1b"
#: Where ``base.html`` puts htmx's CSRF header on ``<body>``: filled only when the visitor has
#: a token anyway (see ``fill_slots``), so a page without a form sets no cookie.
HTMX_CSRF_SLOT = "\x1bhtmx-csrf\x1b"
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


def get_page_cache(app: Flask) -> PageCache:
    return app.extensions.setdefault("page_cache", PageCache())


def cache_seconds() -> float:
    """How long an entry lives; 0 means the cache is off."""
    return float(current_app.config.get("PORTAL_PAGE_CACHE_SECONDS", 0))


def visitor_is_anonymous() -> bool:
    """Whether this visitor's session holds nothing that could make a page personal."""
    return set(session.keys()) <= ANONYMOUS_KEYS


def page_key(template: str) -> tuple:
    """The key of a whole page: what it depends on besides the per-visitor slots."""
    return (template, request.endpoint, *_place(), request.path)


def layout_key() -> tuple:
    """The key of the layout around a page (the navigation marks the current endpoint)."""
    return ("layout", request.endpoint, *_place())


def _place() -> tuple:
    tenant = get_current_tenant()
    return (tenant and tenant.id, tenant and tenant.updated_at, current_lang(),
            host_tenant_slug(), request.scheme)
