"""Secrets at rest: encrypt and decrypt short strings with keys from the environment.

``PORTAL_ENCRYPTION_KEY`` holds one or more Fernet keys separated by commas (AES-128-CBC with
HMAC-SHA256, from the ``cryptography`` package). The first key encrypts; every key decrypts
(MultiFernet), so a key is rotated by putting a new one first, running ``flask crypto
rotate`` (re-encrypts every stored secret), then dropping the old one. Production refuses to
start without a key (``portal/config.py``); development and tests use a fixed key derived
from a public string, which protects nothing.

``PORTAL_LOOKUP_KEY`` keys ``lookup_hash``: an HMAC that finds equal values (a personal number
signing a petition twice) without storing them readable. It is never rotated (every stored
hash would stop matching); development and tests use a public fixed key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

#: Not secret: what development and tests encrypt with.
DEV_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"portal development key").digest()).decode()


#: Not secret: what development and tests key lookup hashes with.
DEV_LOOKUP_KEY = "portal development lookup key"


class DecryptionError(RuntimeError):
    """A stored secret cannot be read with any configured key (a key was dropped too soon)."""


def parse_keys(raw: str) -> tuple[str, ...]:
    """The keys in ``raw`` (comma-separated); raises ValueError naming what is wrong."""
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if not keys:
        raise ValueError("no key given")
    for key in keys:
        Fernet(key)  # ValueError: "Fernet key must be 32 url-safe base64-encoded bytes."
    return keys


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(current_app.config["PORTAL_ENCRYPTION_KEYS"]))


def encrypt(value: str) -> str:
    return _current().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise DecryptionError("a stored secret does not open with PORTAL_ENCRYPTION_KEY") from None


def rotate(token: str) -> str:
    """The same secret encrypted with the first (newest) key."""
    return _current().rotate(token.encode("ascii")).decode("ascii")


def lookup_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of ``value`` under ``PORTAL_LOOKUP_KEY``, separated by ``purpose`` (hex, 64
    characters): equal values give equal hashes, and a dump without the key reveals nothing
    that guessing every value would not (11-digit numbers need the key to be guessed at all).

    Raises ConfigError when no key is configured (production without ``PORTAL_LOOKUP_KEY``).
    """
    key = current_app.config.get("PORTAL_LOOKUP_KEY")
    if not key:
        from portal.config import ConfigError

        raise ConfigError("PORTAL_LOOKUP_KEY must be set: it keys the hashes that find duplicate"
                          " personal numbers. Make one with: python -c \"import secrets;"
                          " print(secrets.token_urlsafe(32))\"")
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


class EncryptedString(TypeDecorator):
    """A string column stored encrypted: Python code sees the plain value.

    Encryption is randomised, so such a column can be tested for NULL but not compared.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
