"""Sign-in for staff (password + mandatory TOTP) and citizens (e-mail link), password reset,
invitations, sign-out everywhere, idle timeout and sign-in rate limits.

Flask-Login keeps the session; Flask-Security-Too was not used because its roles are global
while ours are per municipality, and its views would need to be overridden one by one to
fit the tenant prefix, htmx fragments and our audit log.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.web.ratelimits import configured_limit, roomy_in_tests
from portal.web.redirects import return_path

bp = Blueprint("accounts", __name__)

CITIZEN_IDLE_SECONDS = 14 * 24 * 3600


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
    # No X-RateLimit-* headers on every limited response: they cost two storage round trips
    # per request (docs/performance.md, "Petition surge") and no client reads them. A 429
    # still says when to come back (``_retry_after``).
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", CITIZEN_IDLE_SECONDS)
    roomy_in_tests(app, "PORTAL_SIGN_IN_LIMIT")
    limiter.init_app(app)
    _check_view_limits_in_views(app, limiter)
    app.before_request(_idle_timeout)
    app.after_request(_retry_after)


def _check_view_limits_in_views(app: Flask, limiter) -> None:
    """Flask-Limiter checks every request before its view, for limits that are not a view's
    own (default, application, blueprint and meta limits); a view's own ``@limiter.limit`` is
    checked by its decorator. The portal sets only views' own limits, so that check finds
    nothing to count on every request yet costs a few per cent of one: it now runs only
    while some other limit exists (or the storage is down, for Flask-Limiter's fallback)."""
    funcs = app.before_request_funcs[None]
    index = funcs.index(limiter._check_request_limit)

    def check_limits_beyond_views():
        manager = limiter.limit_manager
        if any(getattr(manager, name, True) for name in (
                "_default_limits", "_application_limits", "_blueprint_limits")) \
                or getattr(limiter, "_meta_limits", True) or getattr(limiter, "_storage_dead", True):
            limiter._check_request_limit()

    funcs[index] = check_limits_beyond_views


def _retry_after(response):
    """``Retry-After`` on a 429 whose view did not set one (sign-in's limits): the breached
    limit's window is read from the storage only then."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        import time

        from portal.extensions import limiter

        limit = limiter.current_limit
        if limit is not None:
            response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def _load_user(session_id: str):
    """Session ids are ``<user id>:<session version>:<session key>``: the key must name an open,
    recently active ``user_sessions`` row (so sign-out ends a session for every copy of the
    cookie), and bumping the version signs out every browser at once."""
    from flask import g

    from portal.blueprints.accounts import user_sessions
    from portal.blueprints.accounts.models import User
    from portal.extensions import db

    user_id, version, key = (session_id.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and key):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    if user.is_staff and not user.totp_secret:
        return None
    row = user_sessions.find(user.id, key)
    if row is None:
        return None
    if user_sessions.is_idle(row, user):
        g.signed_out_idle = (user.id, key)
        g.signed_out_staff = user.is_staff
        return None
    user.session_key = key
    g.user_session = row
    return user


def login_as(user) -> None:
    """Start a fresh session for ``user``: the old session's contents are dropped first, so
    nothing set before sign-in (a fixated cookie) survives it. Records the session on the
    server (flushes; the caller commits)."""
    from flask_login import login_user

    from portal.blueprints.accounts import user_sessions
    from portal.i18n import current_lang

    keep = {k: session[k] for k in ("lang",) if k in session}
    session.clear()
    session.update(keep)
    session.permanent = True
    user_sessions.start(user)
    login_user(user)
    user.locale = current_lang()  # e-mails sent later on their behalf speak it


def end_current_session() -> None:
    """End the signed-in session on the server and in the cookie (flushes; caller commits)."""
    from portal.blueprints.accounts import user_sessions

    if current_user.is_authenticated:
        user_sessions.end(current_user.id, current_user.session_key)
    logout_user()
    session.clear()


def _idle_timeout():
    # No session cookie: nobody is signed in, and reading the session would add Vary: Cookie.
    if request.endpoint == "static" or current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None
    from flask import g

    from portal.blueprints.accounts import user_sessions
    from portal.extensions import db

    if current_user.is_authenticated:
        row = g.get("user_session")
        if row is not None and user_sessions.touch_due(row):
            # The write is the first statement of its own short transaction: on SQLite a
            # transaction that read first may not get the write lock (see delivery/ledger.py).
            row_id = row.id
            db.session.commit()
            user_sessions.touch(row_id)
            db.session.commit()
        return None
    idle = g.pop("signed_out_idle", None)
    if idle is None:
        return None
    db.session.commit()  # end the reads: the write below starts its own transaction
    user_sessions.end(*idle)
    db.session.commit()
    logout_user()
    session.clear()
    from flask import flash
    from flask_babel import gettext as _

    if not g.pop("signed_out_staff", True):
        # Citizens sign in with an e-mail link and stay signed in for two weeks.
        flash(_("You were signed out after two weeks without activity."), "info")
        return _to_login_link()
    flash(_("You were signed out after 30 minutes without activity."), "info")
    if request.method == "GET":
        return redirect(url_for(_sign_in_endpoint(), next=return_path()), code=303)
    return redirect(url_for(_sign_in_endpoint()), code=303)


def _sign_in_endpoint() -> str:
    from portal.tenancy import get_current_tenant

    return "accounts.sign_in" if get_current_tenant() else "platform_accounts.sign_in"


def _unauthorized():
    # @login_required guards citizens' pages only (staff routes use @requires): e-mail link.
    return _to_login_link()


def _to_login_link():
    """To the citizen's e-mail sign-in, with the page asked for as ``next`` (a GET only: a
    POST's address is no page to come back to). The sign-in checks ``next`` with
    ``safe_next`` each time it is read."""
    prefix = "accounts" if _sign_in_endpoint() == "accounts.sign_in" else "platform_accounts"
    if request.method == "GET":
        return redirect(url_for(f"{prefix}.login_link", next=return_path()), code=303)
    return redirect(url_for(f"{prefix}.login_link"), code=303)


def rate_limit_key() -> str:
    return request.remote_addr or "unknown"


sign_in_limit = configured_limit("PORTAL_SIGN_IN_LIMIT", "10 per minute;60 per hour")
