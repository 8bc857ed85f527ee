"""Absolute URLs for what leaves the request (e-mail, SMS): from configured domains only.

A request's Host header is whatever the client sent; a link built from it would put an
attacker's host into a password-reset mail. So a message's link goes to the municipality's
primary domain when it has one, else to the base domain (``PORTAL_BASE_DOMAIN``), the same
inside a request and in a job.
"""

from __future__ import annotations

from flask import current_app

from portal.tenancy.context import TenantInfo, get_current_tenant
from portal.tenancy.hosts import link_authority
from portal.tenancy.resolve import is_tenant_endpoint


def message_url(endpoint: str, *, tenant: TenantInfo | None = None, **values) -> str:
    """The absolute URL of ``endpoint`` for a message.

    Routes under ``/<tenant_slug>`` belong to ``tenant`` (default: the current municipality) and
    are served from its primary domain without the prefix, or from the base domain with it.
    Raises RuntimeError for a municipality's route with no municipality to build it for.
    """
    app = current_app
    per_tenant = is_tenant_endpoint(app, endpoint)
    if per_tenant:
        tenant = tenant or get_current_tenant()
        if tenant is None:
            raise RuntimeError(f"{endpoint} belongs to a municipality; none given")
        values["tenant_slug"] = tenant.slug
    # Built on the URL map directly: Flask's url_for would take the request's host and scheme.
    values = {k: v for k, v in values.items() if v is not None}
    path = app.url_map.bind("portal.invalid").build(endpoint, values)
    scheme = app.config.get("PREFERRED_URL_SCHEME") or "https"
    if per_tenant and tenant.primary_domain:
        return f"{scheme}://{tenant.primary_domain}{_without_prefix(path, tenant.slug)}"
    return f"{scheme}://{link_authority(app)}{path}"


def _without_prefix(path: str, slug: str) -> str:
    prefix = f"/{slug}"
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix):] or "/"
    return path
