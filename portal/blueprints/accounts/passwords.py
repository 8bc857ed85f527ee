"""Password hashing (argon2id) and the staff password rule (NIST SP 800-63B style).

At least 15 characters, no composition rules, no forced rotation, and refused when it is a
known common or breached password or easy to guess from the person's own name or e-mail.
The list is zxcvbn's 30,000 most common leaked passwords, shipped inside the PyPI package
(no network at run time); zxcvbn's estimator also catches keyboard walks and repetitions.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 15
MAX_LENGTH = 256
#: zxcvbn's cost grows quickly with length; long passphrases are judged on their first part.
_ANALYSE_CHARS = 64

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        _hasher.hash("timing equaliser")  # as slow as a real check: no user enumeration by time
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is not acceptable for staff, in the user's language; None if it is."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters; a few words in a row are easy to remember.",
                 n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or lowered.strip("0123456789!") in _common_passwords():
        return _("This password is on a list of common or breached passwords. Choose another.")
    from zxcvbn import zxcvbn

    inputs = [p for p in (email, email.split("@")[0], name) if p]
    if zxcvbn(password[:_ANALYSE_CHARS], user_inputs=inputs)["score"] < 3:
        return _("This password is too easy to guess. Add more unrelated words.")
    return None
