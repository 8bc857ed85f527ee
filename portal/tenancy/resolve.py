"""Request → tenant, the one place that reads the Host header.

A municipality with its own domain is served at ``/`` there; on the shared host it lives under
``/<slug>/``. Both are one set of routes: routes carry a ``<tenant_slug>`` prefix, a WSGI middleware
maps ``https://poti.gov.ge/x`` onto ``/poti/x`` internally, and URL building drops the prefix
again on such hosts, so views and templates never know which scheme served them.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, abort, g, request
from werkzeug.utils import redirect

from portal.tenancy.context import get_current_tenant
from portal.tenancy.directory import get_directory
from portal.tenancy.hosts import platform_hostnames

#: Paths served as they are on every host (not prefixed with the tenant on its own domain).
GLOBAL_PATHS = ("/static/", "/language", "/healthz")
HOST_TENANT_KEY = "portal.host_tenant"
#: The prefix of every municipality's routes. ``tenant_slug`` elsewhere in a rule (the platform
#: admin's ``/tenants/<tenant_slug>/…``) names a municipality as an object and selects none.
TENANT_PREFIX = "/<tenant_slug>"
UNKNOWN_HOST_KEY = "portal.unknown_host"


def _hostname(environ: dict) -> str:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    host = host.lower().rstrip(".")
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


class TenantHostMiddleware:
    """Serve each municipality's own domain at ``/`` by prefixing its slug internally."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        host = _hostname(environ)
        # The base domain and its www. are the platform's, whatever a tenant row says.
        platform = host in platform_hostnames(self.app)
        found = None if platform else get_directory(self.app).by_domain(host)
        path = environ.get("PATH_INFO") or "/"
        if found:
            tenant, is_primary = found
            if not is_primary:
                return self._to_primary(environ, tenant.primary_domain)(environ, start_response)
            environ[HOST_TENANT_KEY] = tenant.slug
            if not path.startswith(GLOBAL_PATHS):
                environ["PATH_INFO"] = f"/{tenant.slug}{path}"
        elif not platform and not self._is_shared_host(host):
            environ[UNKNOWN_HOST_KEY] = True
        return self.wsgi_app(environ, start_response)

    def _is_shared_host(self, host: str) -> bool:
        if not self.app.config.get("PORTAL_BASE_DOMAIN"):
            return True  # development: any other host is the shared host
        return host in platform_hostnames(self.app) | {"localhost", "127.0.0.1", "[::1]"}

    @staticmethod
    def _to_primary(environ: dict, primary: str):
        scheme = environ.get("wsgi.url_scheme", "https")
        query = environ.get("QUERY_STRING", "")
        url = urlunsplit((scheme, primary, environ.get("PATH_INFO") or "/", query, ""))
        return redirect(url, code=301)


def init_resolution(app: Flask) -> None:
    app.wsgi_app = TenantHostMiddleware(app.wsgi_app, app)

    @app.before_request
    def refuse_unknown_host():
        if request.environ.get(UNKNOWN_HOST_KEY) and not request.path.startswith("/healthz"):
            abort(404)

    @app.before_request
    def tenant_of_unrouted_path():
        # /poti/no-such-page matches no route, so no <tenant_slug> value was pulled; its 404 page
        # still belongs to Poti (its look, its links, its own domain's URLs).
        if request.routing_exception is None or g.get("tenant") is not None:
            return
        slug = (request.path or "/").lstrip("/").split("/", 1)[0]
        tenant = get_directory(app).by_slug(slug) if slug else None
        if tenant is not None:
            g.tenant = tenant

    @app.url_value_preprocessor
    def pull_tenant(endpoint, values):
        if values and "tenant_slug" in values and is_tenant_endpoint(app, endpoint):
            tenant = get_directory(app).by_slug(values.pop("tenant_slug"))
            if tenant is None:
                abort(404)
            g.tenant = tenant

    @app.url_defaults
    def add_tenant(endpoint, values):
        if "tenant_slug" in values or not is_tenant_endpoint(app, endpoint):
            return
        tenant = get_current_tenant()
        if tenant is not None:
            values["tenant_slug"] = tenant.slug


def host_tenant_slug() -> str | None:
    """The slug of the municipality whose own domain served this request, if any."""
    return request.environ.get(HOST_TENANT_KEY)


def is_tenant_endpoint(app: Flask, endpoint: str) -> bool:
    """Whether ``endpoint``'s routes are a municipality's (under :data:`TENANT_PREFIX`)."""
    try:
        rules = app.url_map.iter_rules(endpoint)
    except KeyError:
        return False
    return any(r.rule == TENANT_PREFIX or r.rule.startswith(TENANT_PREFIX + "/") for r in rules)


def public_url(url: str, target_slug: str | None) -> str:
    """Rewrite a built URL for the host that serves the current request.

    On a municipality's own domain its ``/<slug>`` prefix is dropped; a link to another
    municipality goes to the shared host (or that municipality's own domain).
    """
    host_slug = host_tenant_slug()
    if not host_slug or not target_slug:
        return url
    parts = urlsplit(url)
    prefix = f"/{target_slug}"
    if not (parts.path == prefix or parts.path.startswith(prefix + "/")):
        return url
    if target_slug == host_slug:
        return urlunsplit(parts._replace(path=parts.path[len(prefix):] or "/"))
    from flask import current_app

    other = get_directory(current_app).by_slug(target_slug)
    if other and other.primary_domain:
        path = parts.path[len(prefix):] or "/"
        return urlunsplit((request.scheme, other.primary_domain, path, parts.query, parts.fragment))
    base = current_app.config.get("PORTAL_BASE_DOMAIN")
    if base:
        return urlunsplit((request.scheme, base, parts.path, parts.query, parts.fragment))
    return url


def public_path() -> str:
    """The current request's path and query as the visitor's address bar shows it."""
    full = request.full_path if request.query_string else request.path
    return public_url(full, host_tenant_slug())


def platform_home_url() -> str | None:
    """The list of all municipalities, reachable from this host (None if it is not)."""
    from flask import current_app, url_for

    if not host_tenant_slug():
        return url_for("platform.index")
    base = current_app.config.get("PORTAL_BASE_DOMAIN")
    return f"{request.scheme}://{base}/" if base else None
