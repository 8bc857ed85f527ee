"""Back-off after failed staff sign-ins, per (account, client address).

A hard lock on the account alone would let anyone keep a staff member out by typing wrong
passwords for them. Counting failures per account *and* address holds back whoever is
guessing, from where they guess, while the owner signing in from elsewhere is not delayed.
The per-address rate limit (Flask-Limiter) bounds how fast one address can try accounts;
a strong password and TOTP bound what guessing from many addresses can achieve.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from sqlalchemy import delete, select

from portal.blueprints.accounts.models import SignInFailure
from portal.db import aware, utcnow
from portal.extensions import db

#: Failures allowed from one address before it backs off; each further one doubles the wait.
FREE_FAILURES = 5
MAX_DELAY = timedelta(hours=1)
#: A count with no failure for this long starts again from zero (and the row is purged).
FORGET_AFTER = timedelta(days=1)


def address_key(address: str | None) -> str:
    """IPv4 addresses as they are; IPv6 by their /64, which one subscriber usually holds whole."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))



def _row(user_id: int, address: str) -> SignInFailure | None:
    return db.session.execute(
        select(SignInFailure).where(SignInFailure.user_id == user_id,
                                    SignInFailure.address == address_key(address))
    ).scalar_one_or_none()


def is_held_back(user_id: int, address: str | None) -> bool:
    """True while this address must wait before trying this account again."""
    row = _row(user_id, address)
    return bool(row and aware(row.locked_until) and aware(row.locked_until) > utcnow())


def record_failure(user_id: int, address: str | None) -> None:
    """Count a wrong password or code from this address; past ``FREE_FAILURES`` it waits
    1, 2, 4 ... minutes (at most an hour) before its next try."""
    now = utcnow()
    row = _row(user_id, address)
    if row is None:
        row = SignInFailure(user_id=user_id, address=address_key(address), failures=0)
        db.session.add(row)
    elif aware(row.last_failed_at) < now - FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failed_at = now
    extra = row.failures - FREE_FAILURES
    if extra >= 0:
        row.locked_until = now + min(timedelta(minutes=2**min(extra, 10)), MAX_DELAY)
    db.session.flush()


def clear(user_id: int, address: str | None) -> None:
    """A completed sign-in from this address forgets its failures (not other addresses')."""
    db.session.execute(delete(SignInFailure).where(
        SignInFailure.user_id == user_id, SignInFailure.address == address_key(address)))


def purge_old() -> int:
    """Drop counts no longer holding anyone back; the number of rows removed."""
    now = utcnow()
    result = db.session.execute(delete(SignInFailure).where(
        SignInFailure.last_failed_at < now - FORGET_AFTER,
        (SignInFailure.locked_until.is_(None)) | (SignInFailure.locked_until < now)))
    return result.rowcount or 0
