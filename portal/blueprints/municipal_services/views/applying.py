"""Asking for a service: the online application (the service's own form, files checked by
content) or a time booked in the department's calendar; then the page with the code.

Both are limited per network address (``book_limit``: ten in ten minutes,
``PORTAL_SERVICES_BOOK_LIMIT`` overrides it). A filled honeypot is answered as if it went
through, and nothing is kept. Without JavaScript: Post/Redirect/Get; with htmx the form is
swapped in place (422 with messages) or the page is redirected.
"""

from __future__ import annotations

import time
from datetime import date

from flask import current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.municipal_services import bp, calendar, requests
from portal.blueprints.municipal_services.forms import (
    BookForm,
    answers_of,
    application_form,
    field_name,
    valid_date,
)
from portal.blueprints.municipal_services.views.catalogue import published
from portal.db import utcnow
from portal.extensions import db, limiter
from portal.i18n import current_lang
from portal.services import uploads
from portal.services.uploads import UploadRefused
from portal.web.forms import errors_onto
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto
from portal.web.uploads import too_large_returns_to

BOOK_LIMIT = "10 per 600 seconds"
#: The session key of the code shown once on the "sent" page.
SHOWN = "municipal_services.code"


book_limit = configured_limit("PORTAL_SERVICES_BOOK_LIMIT", BOOK_LIMIT)


def book_key() -> str:
    return f"municipal_services.book:{request.remote_addr or 'unknown'}"


def _too_fast(limit):
    """The form again, with the refusal on top (429; 422 under htmx, which swaps it)."""
    service = published(request.view_args["service_id"])
    status = 422 if is_fragment_request() else 429
    if request.endpoint == "municipal_services.apply":
        form = application_form(list(service.fields), request.form)
    else:
        form = BookForm(request.form)
    form.form_errors = [_("Several requests came from your address in a short time. Please wait "
                          "a few minutes and try again.")]
    if request.endpoint == "municipal_services.apply":
        response = _apply_page(service, form, status)
    else:
        response = _book_page(service, form, status)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def _prefilled() -> dict:
    if current_user.is_authenticated:
        return {"email": current_user.email, "full_name": current_user.name or ""}
    return {}


def _to(url: str):
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)


def _sent(code: str):
    session[SHOWN] = code
    return _to(url_for("municipal_services.sent"))


def chosen_day(department, days: list[date]) -> date | None:
    """The day asked for by ``?day=`` when it is open, else the first open day."""
    asked = request.args.get("day", "")
    if valid_date(asked) and date.fromisoformat(asked) in days:
        return date.fromisoformat(asked)
    return days[0] if days else None


@bp.route("/<int:service_id>/apply", methods=["GET", "POST"])
@too_large_returns_to("municipal_services.apply", limit=requests.FILE_LIMIT)
@limiter.limit(book_limit, key_func=book_key, methods=["POST"], on_breach=_too_fast)
def apply(service_id: int):
    service = published(service_id)
    if service.mode != "application":
        return redirect(url_for("municipal_services.book", service_id=service.id))
    fields = list(service.fields)
    if request.method == "GET":
        return _apply_page(service, application_form(fields, None, **_prefilled()))
    form = application_form(fields, request.form)
    if form.website.data:
        return _to(url_for("municipal_services.sent"))
    valid = form.validate()  # first: validating clears the errors put on fields below
    files, refused = [], False
    for field in fields:
        if field.kind != "file":
            continue
        upload = request.files.get(field_name(field))
        if not upload or not upload.filename:
            if field.is_required:
                form[field_name(field)].errors = [_("Choose a file.")]
                refused = True
            continue
        try:
            files.append((field.id, uploads.check(upload, limit=requests.FILE_LIMIT,
                                                  field=field_name(field))))
        except UploadRefused as error:
            errors_onto(form, error)
            refused = True
    if valid and not refused:
        with refusals_onto(form):
            _request, code = requests.apply(
                service, full_name=form.full_name.data, email=form.email.data or "",
                phone=form.phone.data or "", answers=answers_of(form, fields), files=files,
                locale=current_lang(), user_id=current_user.id if current_user.is_authenticated else None)
            db.session.commit()
            return _sent(code)
    return _apply_page(service, form, status=422)


def _apply_page(service, form, status: int = 200):
    return render("municipal_services/apply.html", block="apply_form", status=status,
                  service=service, form=form, fields=list(service.fields), field_name=field_name)


@bp.route("/<int:service_id>/book", methods=["GET", "POST"])
@limiter.limit(book_limit, key_func=book_key, methods=["POST"], on_breach=_too_fast)
def book(service_id: int):
    service = published(service_id)
    if service.mode != "appointment":
        return redirect(url_for("municipal_services.apply", service_id=service.id))
    if request.method == "GET":
        return _book_page(service, BookForm(formdata=None, **_prefilled()))
    form = BookForm(request.form)
    if form.website.data:
        return _to(url_for("municipal_services.sent"))
    if form.validate():
        picked = calendar.parse_value(form.slot.data)
        if picked is None:
            form.slot.errors = [_("Choose a time.")]
        else:
            with refusals_onto(form):
                _request, code = requests.book(
                    service, day=picked[0], minute=picked[1], full_name=form.full_name.data,
                    email=form.email.data or "", phone=form.phone.data or "", locale=current_lang(),
                    user_id=current_user.id if current_user.is_authenticated else None)
                db.session.commit()
                return _sent(code)
    return _book_page(service, form, status=422)


def _book_page(service, form, status: int = 200):
    now = utcnow()
    department = service.department
    days = calendar.open_days(department, now)
    day = chosen_day(department, days)
    picked = calendar.parse_value(form.slot.data or "")
    if picked is not None and picked[0] in days and request.method == "POST":
        day = picked[0]
    times = calendar.times(department, day, now) if day else []
    return render("municipal_services/book.html", block="book_form", status=status,
                  service=service, form=form, days=days, day=day, times=times,
                  action=url_for("municipal_services.book", service_id=service.id))


@bp.get("/sent")
def sent():
    code = session.pop(SHOWN, None)
    response = current_app.make_response(render("municipal_services/sent.html", code=code))
    response.headers["Cache-Control"] = "no-store"
    return response
