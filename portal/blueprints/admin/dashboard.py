"""What waits for this person: one shared mechanism that every feature fills.

A feature registers a ``DashboardProvider`` (in its ``__init__`` or at registration); the
dashboard shows each provider whose permission the person holds in this municipality, and
whose ``feature`` the municipality has on.
Moderation queues, unanswered letters, failed syncs and upcoming sessions arrive this way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db


@dataclass(frozen=True)
class DashboardItem:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class DashboardPanel:
    count: int
    items: list[DashboardItem] = field(default_factory=list)


@dataclass(frozen=True)
class DashboardProvider:
    name: str
    title: object
    permission: str
    #: Called with the current user inside the municipality's context.
    panel: Callable[[object], DashboardPanel]
    #: The feature it belongs to (hidden where that feature is off); None: the platform's.
    feature: str | None = None


PROVIDERS: list[DashboardProvider] = []


def register_provider(provider: DashboardProvider) -> None:
    """Add a provider once (registering twice, e.g. from two app instances, is harmless)."""
    if all(p.name != provider.name for p in PROVIDERS):
        PROVIDERS.append(provider)


def panels_for(user, can: Callable[[str], bool]) -> list[tuple[DashboardProvider, DashboardPanel]]:
    from portal.tenancy import current_tenant

    return [(p, p.panel(user)) for p in PROVIDERS
            if can(p.permission) and (p.feature is None or current_tenant.has_feature(p.feature))]


def _failed_sign_ins(user) -> DashboardPanel:
    from portal.services.audit import AuditEntry
    from portal.tenancy import current_tenant

    since = utcnow() - timedelta(days=1)
    count = db.session.execute(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.tenant_id == current_tenant.id,
            AuditEntry.action.in_(("sign_in.failed", "sign_in.locked")),
            AuditEntry.created_at >= since,
        )
    ).scalar_one()
    from flask import url_for

    return DashboardPanel(count, [DashboardItem(str(_l("Open the audit log")),
                                                url_for("admin.audit_log", action="sign_in.failed"))])


def _pending_invitations(user) -> DashboardPanel:
    from flask import url_for

    from portal.blueprints.accounts.queries import pending_invitations
    from portal.tenancy import current_tenant

    count = pending_invitations(current_tenant.id)
    return DashboardPanel(count, [DashboardItem(str(_l("Manage staff")), url_for("admin.staff"))])


def register_core_providers() -> None:
    register_provider(DashboardProvider(
        "failed_sign_ins", _l("Failed sign-ins in the last 24 hours"), "audit.view", _failed_sign_ins))
    register_provider(DashboardProvider(
        "pending_invitations", _l("Invitations not yet accepted"), "staff.manage", _pending_invitations))
