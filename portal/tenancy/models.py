"""The municipality row that every tenant-owned row points at."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, Timestamped


class Tenant(Timestamped, Model):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    #: Primary domain first; the others redirect to it. Empty: served under /<slug>/ only.
    domains: Mapped[list] = mapped_column(JSON, default=list)
    #: The validated tenant.toml (names, theme, facts, contacts, sources, ...), as loaded.
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantSetting(Timestamped, Model):
    """One staff-edited value of one feature's settings for one municipality.

    Not ``TenantOwned``: the tenant directory reads every municipality's profile overrides in one
    query outside any tenant context; ``portal.tenancy.settings`` always filters by tenant.
    """

    __tablename__ = "tenant_settings"
    __table_args__ = (UniqueConstraint("tenant_id", "feature", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    feature: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[object] = mapped_column(JSON)
