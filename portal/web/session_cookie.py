"""Flask's signed session cookie, with its serializer built once instead of twice a request.

Flask's ``SecureCookieSessionInterface`` makes a new ``URLSafeTimedSerializer`` to read the
cookie and another to write it, on every request. The serializer holds only the keys and
settings (signers are made per call), so one per set of keys serves every thread; a changed
``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` builds a new one. The cookie is byte for byte the
same.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionCookie(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._built: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]


def init_session_cookie(app: Flask) -> None:
    app.session_interface = SessionCookie()
