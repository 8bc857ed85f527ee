"""``flask tenants load``: upsert tenants/*/tenant.toml into the tenants table, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.tenancy.context import all_tenants
from portal.tenancy.hosts import domain_rules
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig, read_all


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_tenants(tenants_dir: Path) -> LoadReport:
    """Create or update one row per tenant folder. Flushes, never commits.

    Every file is validated before anything is written, so one broken file loads nothing. A
    file may not claim the shared host (``PORTAL_BASE_DOMAIN``, its ``www.``) nor a domain
    another municipality has, in its file or through its settings. Raises
    ``TenantFileError`` naming the file and field.
    """
    configs = read_all(tenants_dir, domain_rules(settings_only=True))
    report = LoadReport()
    with all_tenants():
        existing = {t.slug: t for t in db.session.execute(select(Tenant)).scalars()}
        for config in configs:
            values = _row_values(config)
            row = existing.get(config.slug)
            if row is None:
                db.session.add(Tenant(slug=config.slug, **values))
                report.created.append(config.slug)
            elif any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                report.updated.append(config.slug)
            else:
                report.unchanged.append(config.slug)
        db.session.flush()
    return report


def _row_values(config: TenantConfig) -> dict:
    return {
        "name_ka": config.name.ka,
        "name_en": config.name.en or config.name.ka,
        "domains": list(config.domains),
        "profile": config.model_dump(mode="json"),
        "is_active": config.active,
    }
