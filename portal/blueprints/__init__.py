"""The explicit list of features: what is registered, where, and what the navigation shows.

Every section the product will have is listed in ``SECTIONS`` in navigation order. A section
appears in a municipality's navigation only once its blueprint is registered here and it is
available for that municipality, so planned sections are never dead links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.tenancy import TENANT_PREFIX, TenantInfo


@dataclass(frozen=True)
class Section:
    name: str
    label: object
    endpoint: str
    available: Callable[[TenantInfo], bool] = lambda tenant: True


SECTIONS: tuple[Section, ...] = (
    Section("petitions", _l("Petitions"), "petitions.index"),
    Section("letters", _l("Letters to the mayor and the Sakrebulo chair"), "letters.index"),
    Section("news", _l("News"), "news.index"),
    Section("sessions", _l("Sakrebulo sessions"), "sessions.index"),
    Section("surveys", _l("Surveys"), "surveys.index"),
    Section("municipal_services", _l("Services"), "municipal_services.index"),
    Section("grants", _l("Small grants"), "grants.index"),
    Section("projects", _l("Projects"), "projects.index"),
    Section("documents", _l("Documents"), "documents.index"),
    Section("tour", _l("Virtual tour"), "tour.index", lambda tenant: bool(tenant.config.tour_url)),
)


def _tenant_blueprints():
    from portal.blueprints.home import bp as home
    from portal.blueprints.sessions import bp as sessions
    from portal.blueprints.tour import bp as tour
    from portal.blueprints.unsubscribe import bp as unsubscribe

    return [home, sessions, tour, unsubscribe, *_staff_tenant_blueprints()]


def _global_blueprints():
    from portal.blueprints.platform import bp as platform
    from portal.blueprints.sessions import global_bp as archive

    return [platform, archive, *_staff_global_blueprints()]


def _staff_tenant_blueprints():
    # Issue 4: sign-in and the municipality admin (route modules imported, then registered).
    import portal.blueprints.accounts.recovery
    import portal.blueprints.accounts.views
    import portal.blueprints.admin.audit_log
    import portal.blueprints.admin.outbox
    import portal.blueprints.admin.settings
    import portal.blueprints.admin.staff
    import portal.blueprints.admin.views
    import portal.blueprints.sessions.admin.agenda_documents
    import portal.blueprints.sessions.admin.council
    import portal.blueprints.sessions.admin.members
    import portal.blueprints.sessions.admin.recordings
    import portal.blueprints.sessions.admin.sync_panel  # noqa: F401
    from portal.blueprints.accounts import bp as accounts
    from portal.blueprints.admin import bp as admin
    from portal.blueprints.sessions.admin import bp as sessions_admin

    return [(accounts, "/accounts"), admin, sessions_admin]


def _staff_global_blueprints():
    # The same sign-in on the shared host (for platform admins), and the platform admin.
    import portal.blueprints.accounts.recovery
    import portal.blueprints.accounts.views
    import portal.blueprints.platform_admin.jobs
    import portal.blueprints.platform_admin.views  # noqa: F401
    from portal.blueprints.accounts import bp as accounts
    from portal.blueprints.platform_admin import bp as platform_admin

    return [(accounts, "/accounts", "platform_accounts"), platform_admin]


def register_features(app: Flask) -> None:
    for bp, prefix, name in map(_entry, _global_blueprints()):
        app.register_blueprint(bp, url_prefix=prefix, name=name)
    for bp, prefix, name in map(_entry, _tenant_blueprints()):
        app.register_blueprint(bp, url_prefix=TENANT_PREFIX + (prefix or ""), name=name)


def _entry(entry) -> tuple:
    """A blueprint, or (blueprint, url prefix[, registration name]) for one registered twice."""
    if not isinstance(entry, tuple):
        return entry, entry.url_prefix, entry.name
    bp, prefix, *name = entry
    return bp, prefix, name[0] if name else bp.name


def sections_of_any(app: Flask, tenants) -> list[Section]:
    """Sections at least one of ``tenants`` has, in navigation order (what the platform's
    pages may name)."""
    built = {s.name for tenant in tenants for s in nav_sections(app, tenant)}
    return [s for s in SECTIONS if s.name in built]


def nav_sections(app: Flask, tenant: TenantInfo) -> list[Section]:
    """Sections built (endpoint registered) and available for this municipality."""
    return [
        s for s in SECTIONS if s.endpoint in app.view_functions and s.available(tenant)
    ]
