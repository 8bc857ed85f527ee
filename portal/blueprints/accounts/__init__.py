"""Sign-in for staff (password + mandatory TOTP) and citizens (e-mail link), password reset,
invitations, sign-out everywhere, idle timeout and sign-in rate limits.

Flask-Login keeps the session; Flask-Security-Too was not used because its roles are global
while ours are per municipality, and its views would need to be overridden one by one to
fit the tenant prefix, htmx fragments and our audit log.
"""

from __future__ import annotations

import time

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.web.redirects import return_path

bp = Blueprint("accounts", __name__)

STAFF_IDLE_SECONDS = 30 * 60
CITIZEN_IDLE_SECONDS = 14 * 24 * 3600
SEEN_KEY = "seen_at"


def init_accounts(app: Flask) -> None:
    from portal.extensions import limiter, login_manager

    # Only pages that use the session may vary by cookie. Flask-Login's own context processor
    # loads the user for every template, and its remember-me hook (we set no remember-me
    # cookie) reads the session on every response: both would add "Vary: Cookie" to public,
    # cacheable pages. Templates get the lazy proxy instead.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    app.context_processor(lambda: {"current_user": current_user})
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", CITIZEN_IDLE_SECONDS)
    if app.testing:  # every test client is 127.0.0.1; the rate-limit test sets its own limit
        app.config.setdefault("PORTAL_SIGN_IN_LIMIT", "10000 per minute")
    limiter.init_app(app)
    app.before_request(_idle_timeout)


def _load_user(session_id: str):
    """Session ids are ``<user id>:<session version>``, so bumping the version signs out
    every browser at once."""
    from portal.blueprints.accounts.models import User
    from portal.extensions import db

    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    if user.is_staff and not user.totp_secret:
        return None
    return user


def login_as(user) -> None:
    """Start a fresh session for ``user``: the old session's contents are dropped first, so
    nothing set before sign-in (a fixated cookie) survives it."""
    from flask_login import login_user

    keep = {k: session[k] for k in ("lang",) if k in session}
    session.clear()
    session.update(keep)
    session.permanent = True
    login_user(user)
    session[SEEN_KEY] = int(time.time())


def _idle_timeout():
    # No session cookie: nobody is signed in, and reading the session would add Vary: Cookie.
    if request.endpoint == "static" or current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    limit = STAFF_IDLE_SECONDS if current_user.is_staff else CITIZEN_IDLE_SECONDS
    seen = session.get(SEEN_KEY, now)
    if now - seen > limit:
        logout_user()
        session.clear()
        from flask import flash
        from flask_babel import gettext as _

        flash(_("You were signed out after 30 minutes without activity."), "info")
        if request.method == "GET":
            return redirect(url_for(_sign_in_endpoint(), next=return_path()), code=303)
        return redirect(url_for(_sign_in_endpoint()), code=303)
    session[SEEN_KEY] = now
    return None


def _sign_in_endpoint() -> str:
    from portal.tenancy import get_current_tenant

    return "accounts.sign_in" if get_current_tenant() else "platform_accounts.sign_in"


def _unauthorized():
    # @login_required guards citizens' pages only (staff routes use @requires): e-mail link.
    prefix = "accounts" if _sign_in_endpoint() == "accounts.sign_in" else "platform_accounts"
    return redirect(url_for(f"{prefix}.login_link"), code=303)


def rate_limit_key() -> str:
    return request.remote_addr or "unknown"


def sign_in_limit() -> str:
    return current_app.config.get("PORTAL_SIGN_IN_LIMIT") or "10 per minute;60 per hour"
