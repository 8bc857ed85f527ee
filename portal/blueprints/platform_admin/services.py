"""Platform-wide verbs: add a municipality, appoint its admin. Flush, never commit."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.accounts import services as accounts
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.tenancy import all_tenants
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig


class PlatformError(DomainError):
    """A rule refused the action; the message is for the user."""


def add_tenant(slug: str, name_ka: str, name_en: str) -> Tenant:
    """A new, active municipality with a minimal profile its admin completes in settings.

    Raises PlatformError when the slug is taken.
    """
    from flask_babel import gettext as _

    with all_tenants():
        if db.session.execute(select(Tenant.id).where(Tenant.slug == slug)).first():
            raise PlatformError(_("A municipality with this address already exists."), "slug")
        name = {"ka": name_ka, "en": name_en}
        config = TenantConfig.model_validate({
            "slug": slug, "name": name, "short_name": name, "tagline": name,
            "contacts": {"city_hall": {"name": name}, "sakrebulo": {"name": name}},
        })
        tenant = Tenant(slug=slug, name_ka=name_ka, name_en=name_en or name_ka, domains=[],
                        profile=config.model_dump(mode="json"), is_active=True)
        db.session.add(tenant)
        db.session.flush()
        audit.record("platform.tenant_added", target=f"tenant:{slug}", after={"slug": slug, "name": name},
                     tenant_id=None)
    return tenant


def appoint_admin(tenant_info, email: str, name: str, by) -> tuple[object, str]:
    """Give the admin role of ``tenant_info`` to this person (inviting them); returns (user, token)."""
    from portal.tenancy import tenant_context

    with tenant_context(tenant_info):
        user, token = accounts.invite_staff(email, name, ["admin"], tenant_info.id, by)
    audit.record("platform.admin_appointed", target=f"tenant:{tenant_info.slug}",
                 after={"email": user.email}, tenant_id=None)
    return user, token
