"""Verbs on accounts: sign-in checks (back-off in ``throttle``), tokens, invitations, roles, 2FA enrolment.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from portal.blueprints.accounts import passwords, throttle, totp, user_sessions
from portal.blueprints.accounts.models import (
    CITIZEN,
    STAFF,
    AccountToken,
    RecoveryCode,
    RoleAssignment,
    User,
)
from portal.blueprints.accounts.queries import normalise_email, user_by_email
from portal.db import aware, utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.tenancy import current_tenant
from portal.web.permissions import ROLES

TOKEN_LIFETIMES = {
    "reset": timedelta(hours=1),
    "invite": timedelta(days=7),
    "login": timedelta(minutes=30),
}


class AccountError(DomainError):
    """A rule refused the action; ``str(error)`` is a message for the user."""



def check_password_sign_in(email: str, password: str, address: str | None) -> User | None:
    """The staff user these credentials belong to, or None.

    Failures are counted per account and client address (``throttle``): after a few, that
    address waits before its next try, and while it waits even the right password is
    refused from there; the owner elsewhere is not held back. Every attempt is audited.
    """
    user = user_by_email(email)
    if user is not None and throttle.is_held_back(user.id, address):
        passwords.verify_password(None, password)
        audit.record("sign_in.locked", target=f"user:{user.id}", actor=user)
        return None
    ok = (
        user is not None
        and user.is_active
        and user.kind == STAFF
        and passwords.verify_password(user.password_hash, password)
    )
    if user is None or not ok:
        if user is None:
            passwords.verify_password(None, password)
        else:
            throttle.record_failure(user.id, address)
        audit.record("sign_in.failed", target=normalise_email(email)[:200], actor=user,
                     actor_email=normalise_email(email)[:254])
        db.session.flush()
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def is_locked(user: User, address: str | None) -> bool:
    return throttle.is_held_back(user.id, address)


def second_factor_failed(user: User, address: str | None) -> None:
    """A wrong code counts like a wrong password: guessing codes backs off that address too."""
    throttle.record_failure(user.id, address)
    audit.record("two_factor.failed", target=f"user:{user.id}", actor=user)
    db.session.flush()


def complete_sign_in(user: User, method: str, address: str | None = None) -> None:
    throttle.clear(user.id, address)
    user.last_login_at = utcnow()
    audit.record("sign_in.succeeded", target=f"user:{user.id}", after={"method": method}, actor=user)
    db.session.flush()


def verify_second_factor(user: User, code: str) -> bool:
    """Accept a current TOTP code (once) or an unused recovery code (once)."""
    step = totp.accepted_step(user.totp_secret or "", code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    hashed = totp.hash_code(code)
    recovery = db.session.execute(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hashed,
            RecoveryCode.used_at.is_(None),
        )
    ).scalar_one_or_none()
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    return True


def confirm_totp(user: User, secret: str, code: str) -> list[str] | None:
    """Store the secret if ``code`` proves the app has it; return fresh recovery codes."""
    step = totp.accepted_step(secret, code, None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.hash_code(c)) for c in codes)
    audit.record("two_factor.enrolled", target=f"user:{user.id}", actor=user)
    db.session.flush()
    return codes


def issue_token(user: User, purpose: str, tenant_id: int | None) -> str:
    """A new single-use link token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(
        purpose=purpose, token_hash=_hash(token), user_id=user.id, tenant_id=tenant_id,
        expires_at=utcnow() + TOKEN_LIFETIMES[purpose],
    ))
    db.session.flush()
    return token


def find_token(token: str, purpose: str, tenant_id: int | None) -> AccountToken | None:
    """The unused, unexpired token of this purpose issued under ``tenant_id`` (None: the
    shared host), or None. A link is valid only where it was issued: a municipality's link
    opened under another one, or on the shared host, is unknown there."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(AccountToken).where(AccountToken.token_hash == _hash(token),
                                   AccountToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or aware(row.expires_at) <= utcnow():
        return None
    if row.tenant_id != tenant_id:
        return None
    return row


def use_token(row: AccountToken) -> User:
    """Spend the token, and with it every other open link of the same kind for that person."""
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == row.user_id, AccountToken.purpose == row.purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    row.used_at = now
    db.session.flush()
    return db.session.get(User, row.user_id)


def set_password(user: User, password: str) -> None:
    problem = passwords.password_problem(password, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(password)
    user.session_version += 1  # other sessions end when the password changes
    user_sessions.end_all(user.id)
    audit.record("password.set", target=f"user:{user.id}", actor=user)
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """End every session of the person; only they (or a platform admin) may ask for it."""
    user.session_version += 1
    user_sessions.end_all(user.id)
    audit.record("sign_out.everywhere", target=f"user:{user.id}", actor=user)
    db.session.flush()


def citizen_for_email(email: str) -> User:
    """The account for a login link: an existing one, or a new light citizen account."""
    user = user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), kind=CITIZEN)
        db.session.add(user)
        db.session.flush()
    return user


def invite_staff(email: str, name: str, roles: list[str], tenant_id: int, by: User | None) -> tuple[User, str]:
    """Give ``roles`` here to the person with this e-mail (creating a staff account) and return
    an invitation token. A citizen account becomes a staff account."""
    _check_roles(roles)
    user = user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, kind=STAFF)
        db.session.add(user)
        db.session.flush()
    elif user.kind != STAFF:
        # No sign-out needed: a staff account without TOTP has no session (accounts._load_user).
        user.kind = STAFF
    if name and not user.name:
        user.name = name
    if not user.is_active and not user.is_platform_admin and not _roles_anywhere(user.id):
        # Switched off when its last role went (before issue 10): nobody else has a stake in it.
        user.is_active = True
    before = _roles_here(user.id)
    for role in set(roles) - set(before):
        db.session.add(RoleAssignment(user_id=user.id, role=role, granted_by_id=getattr(by, "id", None),
                                      tenant_id=tenant_id))
    db.session.flush()
    audit.record("staff.invited", target=f"user:{user.id}", before={"roles": before},
                 after={"email": user.email, "roles": sorted(set(before) | set(roles))},
                 tenant_id=tenant_id)
    return user, issue_token(user, "invite", tenant_id)


def set_roles(user: User, roles: list[str], by: User) -> None:
    """Make the person's roles here exactly ``roles``. Nobody removes their own admin role."""
    _check_roles(roles)
    before = _roles_here(user.id)
    if user.id == by.id and "admin" in before and "admin" not in roles:
        from flask_babel import gettext as _

        raise AccountError(_("You cannot remove your own administrator role."), "roles")
    for role in set(before) - set(roles):
        db.session.execute(
            delete(RoleAssignment).where(RoleAssignment.user_id == user.id, RoleAssignment.role == role)
        )
    for role in set(roles) - set(before):
        db.session.add(RoleAssignment(user_id=user.id, role=role, granted_by_id=by.id))
    db.session.flush()
    audit.record("staff.roles_changed", target=f"user:{user.id}", before={"roles": sorted(before)},
                 after={"roles": sorted(roles)})


def deactivate_here(user: User, by: User) -> None:
    """Revoke every role the person holds here, and nothing else.

    The account is shared by every municipality the person works for (and is their citizen
    account too), so a municipality never switches it off or ends its sessions: without a
    role here, every staff page here already refuses them (roles are checked per request).
    Only the person themself or a platform admin signs them out everywhere.
    """
    from flask_babel import gettext as _

    if user.id == by.id:
        raise AccountError(_("You cannot deactivate yourself."))
    before = _roles_here(user.id)
    db.session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == user.id))
    # This municipality's open invitations go with the roles they were for.
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == "invite",
               AccountToken.tenant_id == current_tenant.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.flush()
    audit.record("staff.deactivated", target=f"user:{user.id}", before={"roles": sorted(before)},
                 after={"roles": []})


def _roles_here(user_id: int) -> list[str]:
    return list(db.session.execute(
        select(RoleAssignment.role).where(RoleAssignment.user_id == user_id)
    ).scalars())


def _roles_anywhere(user_id: int) -> bool:
    return db.session.execute(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user_id)
        .execution_options(all_tenants=True).limit(1)
    ).first() is not None


def _check_roles(roles: list[str]) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(f"unknown roles: {sorted(unknown)}", "roles")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
