"""The two public forms ("letter to the mayor", "letter to the Sakrebulo chair") and the
page that follows a sent letter.

Sending is limited per network address in the limiter's shared storage (``write_limit``:
three letters in ten minutes, ``PORTAL_LETTERS_WRITE_LIMIT`` overrides it); a breach is
answered on the form in the visitor's language. A filled honeypot is answered as if the
letter went, and nothing is kept. Works without JavaScript; htmx swaps only the form.

The form takes up to three attachments (``attachments.py``), sent as multipart: all are checked
by their content before the letter is written, so a refused file saves nothing and comes back
as a message on the file field. A body over the app's request limit returns to the form with a
message (``too_large_returns_to``).
"""

from __future__ import annotations

import time

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.blueprints.letters import attachments, bp, writing
from portal.blueprints.letters.forms import letter_form
from portal.blueprints.letters.lifecycle import RECIPIENT_LABELS
from portal.blueprints.letters.settings import letters_settings
from portal.extensions import db, limiter
from portal.i18n import current_lang, localized
from portal.tenancy import current_tenant
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto
from portal.web.uploads import too_large_returns_to

WRITE_LIMIT = "3 per 600 seconds"


write_limit = configured_limit("PORTAL_LETTERS_WRITE_LIMIT", WRITE_LIMIT)


def write_key() -> str:
    return f"letters.write:{request.remote_addr or 'unknown'}"


def unit_choices() -> list[tuple[str, str]]:
    """The municipality's administrative units (stored in Georgian, shown in the language)."""
    return [(u.ka, str(localized(u))) for u in current_tenant.config.facts.units]


def _form(formdata=None):
    values = {}
    if formdata is None and current_user.is_authenticated:
        values = {"email": current_user.email, "full_name": current_user.name or ""}
    return letter_form(unit_choices(), formdata, **values)


def _page(recipient: str, form, status: int = 200):
    return render("letters/write.html", block="letter_form", status=status, form=form,
                  recipient=recipient, recipient_label=RECIPIENT_LABELS[recipient],
                  answer_days=letters_settings.get("answer_days"))


def _too_fast(limit):
    recipient = "chair" if request.endpoint == "letters.write_chair" else "mayor"
    form = _form(request.form)
    form.form_errors = [_("Several letters came from your address in a short time. Please wait "
                          "a few minutes and try again.")]
    response = _page(recipient, form, status=422 if is_fragment_request() else 429)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def _write(recipient: str):
    if request.method == "GET":
        return _page(recipient, _form())
    form = _form(request.form)
    done = url_for("letters.sent")
    if form.website.data:  # the honeypot: a robot is told the letter went, nothing is kept
        return _to(done)
    if form.validate():
        key = form.submission.data or None
        if writing.already_sent(key):  # sent again after its answer was lost: stored once
            return _to(done)
        with refusals_onto(form):
            files = attachments.check_all(request.files.getlist(attachments.FIELD))
            try:
                letter, _code = writing.write(
                    recipient=recipient, full_name=form.full_name.data, email=form.email.data,
                    phone=form.phone.data or "", address=form.address.data or "",
                    unit=form.unit.data or "", subject=form.subject.data, text=form.text.data,
                    wants_publication=form.wants_publication.data, locale=current_lang(),
                    author_id=current_user.id if current_user.is_authenticated else None,
                    submission_key=key)
                attachments.attach(letter, files)
                db.session.commit()
            except IntegrityError:  # the same form, sent twice at once: the other one stored it
                db.session.rollback()
                if not writing.already_sent(key):
                    raise
            return _to(done)
    return _page(recipient, form, status=422)


@bp.route("/mayor", methods=["GET", "POST"])
@too_large_returns_to("letters.write_mayor", limit=attachments.LIMIT)
@limiter.limit(write_limit, key_func=write_key, methods=["POST"], on_breach=_too_fast)
def write_mayor():
    return _write("mayor")


@bp.route("/chair", methods=["GET", "POST"])
@too_large_returns_to("letters.write_chair", limit=attachments.LIMIT)
@limiter.limit(write_limit, key_func=write_key, methods=["POST"], on_breach=_too_fast)
def write_chair():
    return _write("chair")


@bp.get("/sent")
def sent():
    return render("letters/sent.html")


def _to(url: str):
    """See Other to ``url``; under htmx, a redirect of the whole page."""
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)
