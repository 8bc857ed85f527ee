"""Read-side queries on accounts, reused by the permission check, staff pages and dashboard."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.blueprints.accounts.models import AccountToken, RoleAssignment, User
from portal.db import utcnow
from portal.extensions import db


def roles_of(user_id: int, tenant_id: int) -> list[str]:
    return list(
        db.session.execute(
            select(RoleAssignment.role)
            .where(RoleAssignment.user_id == user_id, RoleAssignment.tenant_id == tenant_id)
            .execution_options(all_tenants=True)
        ).scalars()
    )


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def staff_of_current_tenant() -> list[tuple[User, list[str]]]:
    """Everyone holding a role here, with their roles; two queries whatever the size."""
    rows = db.session.execute(
        select(RoleAssignment.user_id, RoleAssignment.role).order_by(RoleAssignment.role)
    ).all()
    roles: dict[int, list[str]] = {}
    for user_id, role in rows:
        roles.setdefault(user_id, []).append(role)
    if not roles:
        return []
    users = db.session.execute(
        select(User).where(User.id.in_(roles)).order_by(User.email)
    ).scalars()
    return [(u, roles[u.id]) for u in users]


def staff_member_or_none(user_id: int) -> tuple[User, list[str]] | None:
    """A person with at least one role in the current municipality; others are not found."""
    roles = list(
        db.session.execute(
            select(RoleAssignment.role).where(RoleAssignment.user_id == user_id)
        ).scalars()
    )
    if not roles:
        return None
    return db.session.get(User, user_id), roles


def pending_invitations(tenant_id: int) -> int:
    return db.session.execute(
        select(func.count(AccountToken.id)).where(
            AccountToken.tenant_id == tenant_id,
            AccountToken.purpose == "invite",
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
    ).scalar_one()
