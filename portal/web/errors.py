"""Error pages in the user's language and the municipality's look, as a page or a fragment."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from portal.web import problems
from portal.web.rendering import render
from portal.web.uploads import back_to_form

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Cannot process"), _l("Some of what you entered is not valid.")),
    429: (
        _l("Too many requests"),
        _l("You have made too many requests. Please wait a moment and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. It has been recorded; please try again later."),
    ),
}


def _fresh_transaction() -> None:
    """Roll back before rendering: the page reads ``current_user`` (a query), and after a
    failed statement the session refuses every query until it is rolled back, so the error
    page itself would fail. A broken connection must not stop the page either."""
    from portal.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the page must render whatever state the session is in
        current_app.logger.warning("rollback before the error page failed", exc_info=True)


def render_error(code: int, detail: str | None = None):
    _fresh_transaction()
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if problems.wanted():  # under a JSON API: the same words as problem+json
        return problems.problem(code, title, detail or message)
    return render(
        "errors/error.html", block="content", status=code,
        code=code, title=title, message=detail or message,
    )


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext as _

        return render_error(
            400, _("Your form expired or was sent from elsewhere. Please reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.response is not None:  # the view's own answer (a rate limit's ``on_breach``)
            return error.response
        # An API client is told the reason a view gave; pages keep their own wording.
        response = render_error(error.code, problems.given_detail(error) if problems.wanted()
                                else None)
        for key, value in error.get_headers():  # e.g. Allow on 405, Retry-After on 429
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        # A file over the limit on a form that says where it lives: back to that form.
        return back_to_form() or render_error(413)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        return render_error(500)
