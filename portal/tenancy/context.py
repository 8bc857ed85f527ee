"""Which municipality the current code works for: ``current_tenant`` and ``tenant_context``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import g, has_request_context
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from portal.tenancy.registry import TenantConfig


@dataclass(frozen=True)
class TenantInfo:
    """A read-only snapshot of one tenant row, safe to share between requests and threads."""

    id: int
    slug: str
    domains: tuple[str, ...]
    config: TenantConfig
    is_active: bool
    updated_at: datetime | None = None

    @property
    def primary_domain(self) -> str | None:
        return self.domains[0] if self.domains else None

    def has_feature(self, name: str) -> bool:
        """Whether the feature ``name`` is on here (``[features] off`` in tenant.toml, or the
        municipality's admin settings)."""
        return name not in self.config.features.off


_current: ContextVar[TenantInfo | None] = ContextVar("current_tenant", default=None)
_unscoped: ContextVar[bool] = ContextVar("tenant_unscoped", default=False)


def get_current_tenant() -> TenantInfo | None:
    tenant = _current.get()
    if tenant is None and has_request_context():
        tenant = g.get("tenant")
    return tenant


current_tenant: TenantInfo = LocalProxy(get_current_tenant)  # type: ignore[assignment]


@contextmanager
def tenant_context(tenant: TenantInfo) -> Iterator[TenantInfo]:
    """Run code (a job, a CLI command, a test) as one municipality."""
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)


@contextmanager
def all_tenants() -> Iterator[None]:
    """Opt out of tenant scoping, visibly: platform admin, schedulers, the tenant loader."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


def is_unscoped() -> bool:
    return _unscoped.get()
