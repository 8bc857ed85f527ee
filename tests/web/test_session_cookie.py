"""The session cookie's serializer is built once (portal/web/session_cookie.py): the cookie
reads as Flask's own would, and a new SECRET_KEY still takes effect at once."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from portal.web.session_cookie import SessionCookie


def test_the_cookie_is_flask_s_own_and_follows_the_secret_key(app):
    interface = app.session_interface
    assert isinstance(interface, SessionCookie)
    saved = app.secret_key
    try:
        with app.test_request_context():
            cookie = interface.get_signing_serializer(app).dumps({"csrf_token": "abc"})
            assert interface.get_signing_serializer(app) is interface.get_signing_serializer(app)
            flask_own = SecureCookieSessionInterface().get_signing_serializer(app)
            assert flask_own.loads(cookie) == {"csrf_token": "abc"}
            app.secret_key = "another secret key entirely"
            assert _refused(interface.get_signing_serializer(app), cookie)
    finally:
        app.secret_key = saved


def _refused(serializer, cookie) -> bool:
    from itsdangerous import BadSignature

    try:
        serializer.loads(cookie)
    except BadSignature:
        return True
    return False
