"""The e-mails accounts send (reset links, invitations, citizen login links), via the outbox.

Each message is queued in the caller's transaction (issue 3's ``queue_email``), so it goes out
only if the change that caused it commits. Links are absolute, built from configured domains
(``tenancy.links.message_url``, never the request's Host), and in the recipient's language.
"""

from __future__ import annotations

from contextlib import nullcontext

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.i18n import current_lang
from portal.tenancy import get_current_tenant, tenant_context
from portal.tenancy.links import message_url


def _queue_email(**kwargs):
    from portal.services.outbox import queue_email

    return queue_email(**kwargs)


def _in_tenant(tenant, email: str):
    # The outbox belongs to a municipality: mail asked for on the shared host goes out as one
    # where the person holds a role, else as the first municipality.
    current = get_current_tenant()
    tenant = tenant or current or _home_tenant(email)
    if tenant is None or (current and current.id == tenant.id):
        return nullcontext()
    return tenant_context(tenant)


def _home_tenant(email: str):
    from flask import current_app
    from sqlalchemy import select

    from portal.blueprints.accounts.models import RoleAssignment
    from portal.blueprints.accounts.queries import user_by_email
    from portal.extensions import db
    from portal.tenancy import get_directory

    directory = get_directory(current_app)
    user = user_by_email(email)
    if user is not None:
        tenant_ids = db.session.execute(
            select(RoleAssignment.tenant_id).where(RoleAssignment.user_id == user.id)
            .execution_options(all_tenants=True)
        ).scalars().all()
        for tenant in directory.active():
            if tenant.id in tenant_ids:
                return tenant
    active = directory.active()
    return active[0] if active else None


def _notice(to: str, title: str, lines: list[str], action_url: str, action_label: str, tenant=None,
            *, secret: str) -> None:
    # ``secret``: the link's token, never stored readable in the outbox (delivery/sealing.py).
    locale = current_lang()
    with _in_tenant(tenant, to):
        _queue_email(
            to=to, template="notice", locale=locale, secret=secret,
            context={"title": title, "lines": lines, "action_url": action_url,
                     "action_label": action_label},
        )


def send_password_reset(email: str, token: str, endpoint_prefix: str, tenant=None) -> None:
    with force_locale(current_lang()):
        url = message_url(f"{endpoint_prefix}.reset", reset_token=token)
        _notice(email, _("Reset your password"),
                [_("Someone asked to reset the password of your account. If it was you, open the "
                   "link below within an hour; it works once. If it was not you, ignore this message.")],
                url, _("Choose a new password"), tenant, secret=token)


def send_invitation(email: str, token: str, tenant) -> None:
    with force_locale(current_lang()), tenant_context(tenant):
        url = message_url("accounts.invitation", tenant=tenant, invitation_token=token)
        _notice(email, _("You are invited to the municipality's portal"),
                [_("You have been given a staff role. Open the link within 7 days to choose a "
                   "password and set up two-factor sign-in.")],
                url, _("Accept the invitation"), tenant, secret=token)


def send_login_link(email: str, token: str, endpoint_prefix: str, tenant=None) -> None:
    with force_locale(current_lang()):
        url = message_url(f"{endpoint_prefix}.link_sign_in", link_token=token)
        _notice(email, _("Your sign-in link"),
                [_("Open the link below within 30 minutes to sign in. It works once.")],
                url, _("Sign in"), tenant, secret=token)
