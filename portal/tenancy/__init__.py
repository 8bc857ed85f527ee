"""Tenancy: which municipality a request, job or command works for, and scoping to it."""

from portal.tenancy.context import (
    TenantInfo,
    all_tenants,
    current_tenant,
    get_current_tenant,
    tenant_context,
)
from portal.tenancy.directory import TenantDirectory, get_directory
from portal.tenancy.resolve import (
    TENANT_PREFIX,
    init_resolution,
    is_tenant_endpoint,
    platform_home_url,
    public_path,
    public_url,
)
from portal.tenancy.scoping import TenantScopeError, install_scoping


def init_tenancy(app) -> None:
    app.extensions["tenant_directory"] = TenantDirectory(
        app, ttl=float(app.config.get("PORTAL_TENANT_CACHE_SECONDS", 10))
    )
    install_scoping()
    init_resolution(app)


def tenant_by_slug(slug: str) -> TenantInfo | None:
    from flask import current_app

    return get_directory(current_app).by_slug(slug)


__all__ = [
    "TENANT_PREFIX",
    "TenantInfo",
    "TenantScopeError",
    "all_tenants",
    "current_tenant",
    "get_current_tenant",
    "init_tenancy",
    "is_tenant_endpoint",
    "platform_home_url",
    "public_path",
    "public_url",
    "tenant_by_slug",
    "tenant_context",
]
