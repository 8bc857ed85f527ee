"""Demo content for ``make run``: the platform's loaders, then each feature's (its ``demo`` in
the registry, ``portal/blueprints``).

Loaders are idempotent (a second run adds nothing), flush but never commit, and return a line
describing what they did. ``load_demo`` commits after each loader, because the tenant directory
reads committed rows: the features' loaders must find the municipalities loaded before them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app

from portal.tenancy.loader import load_tenants


def _tenants() -> str:
    report = load_tenants(Path(current_app.config["PORTAL_TENANTS_DIR"]))
    loaded = report.created + report.updated + report.unchanged
    return f"tenants: {', '.join(loaded)}"


def _staff() -> str:
    """A demo admin per municipality; its sign-in details are printed once, when created."""
    import secrets

    from portal.blueprints.accounts import services as accounts
    from portal.blueprints.accounts import totp
    from portal.blueprints.accounts.models import STAFF, RoleAssignment, User
    from portal.blueprints.accounts.queries import user_by_email
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    lines = []
    # load_demo committed the municipalities before this loader: the directory sees them.
    for tenant in sorted(get_directory(current_app).active(), key=lambda t: t.slug):
        email = f"admin@{tenant.slug}.example.org"
        if user_by_email(email) is not None:
            continue
        password = secrets.token_urlsafe(18)
        with tenant_context(tenant):
            user = User(email=email, name="Demo admin", kind=STAFF)
            db.session.add(user)
            db.session.flush()
            db.session.add(RoleAssignment(user_id=user.id, role="admin"))
            accounts.set_password(user, password)
            user.totp_secret = totp.new_secret()
            if tenant.slug == "poti":
                user.is_platform_admin = True
        db.session.flush()
        lines.append(
            f"  {tenant.slug}: sign in at /{tenant.slug}/accounts/sign-in with {email} / {password};"
            f" TOTP secret {user.totp_secret} (add it to an authenticator app)"
            + (" [also platform admin: /platform/]" if user.is_platform_admin else "")
        )
    if not lines:
        return "staff: demo admins exist already (their sign-in details were printed on first start)"
    return "staff: demo admins created; save these now, they are not shown again:\n" + "\n".join(lines)


#: Run in order: municipalities first, then each feature's content.
DEMO_LOADERS: list[Callable[[], str]] = [_tenants, _staff]


def load_demo() -> list[str]:
    from portal.blueprints import demo_loaders
    from portal.extensions import db
    from portal.tenancy import get_directory

    lines = []
    directory = get_directory(current_app)
    for loader in DEMO_LOADERS + demo_loaders():
        # The municipalities as committed so far, not re-read while the loader writes: on a
        # slow machine a loader outlasts the directory's TTL (SQLite's lock, directory.held).
        with directory.held():
            lines.append(loader())
            db.session.commit()
    return lines
