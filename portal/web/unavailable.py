"""The database is unreachable or too slow: a 503 page in the visitor's language, made without it.

Two places meet the failure. Inside Flask (a view, the sign-in check, the audit hook) an error
handler answers; before Flask (the host middleware asking the tenant directory, whose cache may
be empty) a WSGI guard around the whole app answers. Either way the page is rendered from a
template of its own, outside the usual context processors: no tenant navigation, no
``current_user`` (loading the user needs the database), no session writes. Timeouts that make
the failure quick are set in config.py (``DATABASE_CONNECT_TIMEOUT``, ``..._STATEMENT_TIMEOUT``).
"""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

#: What "the database is not there" looks like: connection refused or timed out, a connection
#: lost mid-request, a statement cancelled by statement_timeout, SQLite's "database is locked"
#: after its busy timeout (all OperationalError), no pooled connection free in time.
UNAVAILABLE = (OperationalError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30

TITLE = _l("Temporarily unavailable")
MESSAGE = _l("The portal is temporarily unavailable. Please try again in a few minutes.")


def unavailable_response(error: Exception | None = None) -> Response:
    """The 503 page for the current request, touching neither the database nor the session."""
    from portal.i18n import select_locale
    from portal.web.templating import asset_url

    if error is not None:  # a warning, not a traceback: the cause is outside the portal
        current_app.logger.warning("database unavailable: %s", getattr(error, "orig", error))
    lang = select_locale()  # the lang cookie, else the municipality's default (cached), else ka
    with force_locale(lang):
        html = current_app.jinja_env.get_template("errors/unavailable.html").render(
            lang=lang, title=str(TITLE), message=str(MESSAGE), stylesheet=asset_url("css/portal.css"),
        )
    response = Response(html, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = lang
    return response


class DatabaseGuard:
    """WSGI middleware: a database failure raised before Flask handles the request (the host
    middleware's tenant lookup) becomes the 503 page instead of the server's bare 500."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.wsgi_app(environ, start_response)
        except UNAVAILABLE as error:
            with self.app.request_context(environ):
                response = unavailable_response(error)
            return response(environ, start_response)


def init_unavailable(app: Flask) -> None:
    """Answer 503 for database failures, inside Flask and around it (install after the host
    middleware, so the guard wraps it)."""
    app.register_error_handler(OperationalError, unavailable_response)
    app.register_error_handler(PoolTimeoutError, unavailable_response)
    app.wsgi_app = DatabaseGuard(app.wsgi_app, app)
