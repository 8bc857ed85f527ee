"""Signed-in sessions recorded on the server, so that signing out really ends them.

Flask's session is a signed cookie: without a server-side record, a copy of it would keep
working after sign-out. Each sign-in starts a ``UserSession`` row whose random key travels
in the cookie (inside Flask-Login's user id); ``accounts._load_user`` accepts the cookie only
while that row is open and not idle. Only the key's hash is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from portal.blueprints.accounts.models import User, UserSession
from portal.db import aware, utcnow
from portal.extensions import db

#: ``last_seen_at`` is written at most this often (a write per request would be wasteful).
TOUCH_EVERY = timedelta(seconds=60)
STAFF_IDLE = timedelta(minutes=30)
CITIZEN_IDLE = timedelta(days=14)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()



def idle_limit(user: User) -> timedelta:
    return STAFF_IDLE if user.is_staff else CITIZEN_IDLE


def start(user: User) -> str:
    """Open a session for ``user`` and return its key (for the cookie); flushes."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=key_hash(key), user_id=user.id))
    db.session.flush()
    user.session_key = key
    return key


def find(user_id: int, key: str) -> UserSession | None:
    """The open session of this user with this key, or None."""
    if not key or len(key) > 100:
        return None
    return db.session.execute(
        select(UserSession).where(UserSession.token_hash == key_hash(key),
                                  UserSession.user_id == user_id,
                                  UserSession.ended_at.is_(None))
    ).scalar_one_or_none()


def is_idle(row: UserSession, user: User) -> bool:
    return utcnow() - aware(row.last_seen_at) > idle_limit(user)


def touch_due(row: UserSession) -> bool:
    """True when the last recorded activity is over a minute old."""
    return utcnow() - aware(row.last_seen_at) >= TOUCH_EVERY


def touch(row_id: int) -> None:
    """Record activity now."""
    db.session.execute(update(UserSession).where(UserSession.id == row_id)
                       .values(last_seen_at=utcnow()),
                       execution_options={"synchronize_session": False})


def end(user_id: int, key: str) -> None:
    """End one session (sign-out, idle timeout)."""
    db.session.execute(update(UserSession).where(
        UserSession.token_hash == key_hash(key), UserSession.user_id == user_id,
        UserSession.ended_at.is_(None)).values(ended_at=utcnow()),
        execution_options={"synchronize_session": False})


def end_all(user_id: int) -> None:
    """End every session of the person (sign-out everywhere, a new password)."""
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)).values(ended_at=utcnow()),
        execution_options={"synchronize_session": False})


def purge() -> int:
    """Delete ended sessions and those idle past the longest limit; the number removed."""
    result = db.session.execute(delete(UserSession).where(
        UserSession.ended_at.is_not(None) | (UserSession.last_seen_at < utcnow() - CITIZEN_IDLE)))
    return result.rowcount or 0
