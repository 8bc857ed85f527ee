"""An in-process cache of the tenants table, so resolving a host or slug costs no query.

Each process re-reads the table at most every ``ttl`` seconds, so a municipality added with
``flask tenants load`` appears on every worker within that time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import select

from portal.db import reading_only
from portal.extensions import db
from portal.tenancy.context import TenantInfo, all_tenants
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig
from portal.tenancy.settings import apply_overrides, profile_overrides_by_tenant

log = logging.getLogger(__name__)


class TenantDirectory:
    def __init__(self, app: Flask, ttl: float = 10.0):
        self.app = app
        self.ttl = ttl
        self._by_slug: dict[str, TenantInfo] = {}
        self._by_domain: dict[str, tuple[TenantInfo, bool]] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")

    @contextmanager
    def held(self) -> Iterator[TenantDirectory]:
        """Read the table now and not again until the block ends. For a writer that looks
        municipalities up between its writes (the demo's loaders): on SQLite a re-read, in a
        session of its own, would wait for the writer's lock until "database is locked"."""
        self.invalidate()
        self._fresh()
        ttl, self.ttl = self.ttl, float("inf")
        try:
            yield self
        finally:
            self.ttl = ttl
            self.invalidate()

    def _fresh(self) -> None:
        if time.monotonic() - self._loaded_at < self.ttl:
            return
        with self._lock:
            if time.monotonic() - self._loaded_at < self.ttl:
                return
            # Its own app context is its own session and connection: a read only, so it never
            # waits on a write lock the caller's session holds (SQLite, ``reading_only``).
            with self.app.app_context(), all_tenants(), reading_only():
                rows = db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars().all()
                overrides = profile_overrides_by_tenant()
                infos = [_info(row, *overrides.get(row.id, (None, None))) for row in rows]
                db.session.rollback()
            self._by_slug = {t.slug: t for t in infos}
            self._by_domain = {
                domain: (t, index == 0)
                for t in infos
                if t.is_active
                for index, domain in enumerate(t.domains)
            }
            self._loaded_at = time.monotonic()

    def by_slug(self, slug: str) -> TenantInfo | None:
        self._fresh()
        tenant = self._by_slug.get(slug)
        return tenant if tenant and tenant.is_active else None

    def by_id(self, tenant_id: int) -> TenantInfo | None:
        """Any municipality, active or not, by id (jobs and settings name them by id)."""
        self._fresh()
        return next((t for t in self._by_slug.values() if t.id == tenant_id), None)

    def by_domain(self, host: str) -> tuple[TenantInfo, bool] | None:
        """The tenant serving this host, and whether the host is its primary domain."""
        self._fresh()
        return self._by_domain.get(host)

    def active(self) -> list[TenantInfo]:
        self._fresh()
        return [t for t in self._by_slug.values() if t.is_active]


def _info(row: Tenant, overrides: dict | None = None, overrides_at=None) -> TenantInfo:
    """The row's tenant.toml with staff-edited settings applied (see tenancy.settings)."""
    config = TenantConfig.model_validate(row.profile)
    if overrides:
        try:
            config = TenantConfig.model_validate(apply_overrides(row.profile, overrides))
        except ValueError:
            # Values are validated when saved; a file change can still clash with an old
            # override. Serve the file rather than nothing, and say so in the log.
            log.exception("settings of %s no longer validate; serving tenant.toml", row.slug)
    return TenantInfo(
        id=row.id,
        slug=row.slug,
        domains=tuple(config.domains if overrides and "domains" in overrides else row.domains or ()),
        config=config,
        is_active=row.is_active,
        updated_at=_latest(row.updated_at, overrides_at),
    )


def _latest(*times):
    """The latest of the row's and its settings' change times (the footer's "updated on")."""
    from datetime import UTC

    aware = [t.replace(tzinfo=UTC) if t.tzinfo is None else t for t in times if t is not None]
    return max(aware) if aware else None


def get_directory(app: Flask) -> TenantDirectory:
    return app.extensions["tenant_directory"]
