"""Georgian personal numbers (11 digits): checked, and turned into what may be stored.

The number itself is never stored readable: ``fingerprint`` (a keyed HMAC, key from the
environment) finds a second signature by the same person, and the encrypted copy
(``Signature.personal_number``, MultiFernet) serves only the clerk's export.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError

_SEPARATORS = re.compile(r"[\s-]")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
#: Separates these hashes from any other use of the lookup key.
PURPOSE = "petitions.personal_number"


def clean(value: str) -> str:
    """The 11 digits of ``value`` (spaces and dashes dropped); raises DomainError otherwise."""
    digits = _SEPARATORS.sub("", value or "")
    if not _ELEVEN_DIGITS.fullmatch(digits):
        raise DomainError(_l("A personal number has exactly 11 digits."), field="personal_number")
    return digits


def fingerprint(number: str) -> str:
    """The stored hash of a cleaned personal number (64 hex characters)."""
    return lookup_hash(number, PURPOSE)
