"""The applicant's page of a request, reached by the code (the message's link, or the code
and the contact typed on ``/status``) or a signed token (my page): the history, the
operators' message, the documents asked for, cancelling, moving an appointment.

Every response here is ``no-store`` and ``no-referrer``: the URL is a key to someone's
request. Look-ups are limited per network address (``LOOKUP_LIMIT``)."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.municipal_services import bp, calendar, requests
from portal.blueprints.municipal_services.forms import DocumentsForm, LookupForm, MoveForm, answer_text
from portal.blueprints.municipal_services.lifecycle import STATUS_LABELS
from portal.blueprints.municipal_services.models import RequestEvent, RequestFile
from portal.blueprints.municipal_services.views.applying import chosen_day
from portal.db import utcnow
from portal.extensions import db, limiter
from portal.services import uploads
from portal.services.uploads import UploadRefused
from portal.web.forms import ConfirmForm
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto
from portal.web.uploads import too_large_returns_to

LOOKUP_LIMIT = "20 per 600 seconds"


lookup_limit = configured_limit("PORTAL_SERVICES_LOOKUP_LIMIT", LOOKUP_LIMIT)


def private(response):
    response = current_app.make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _load(request_token: str):
    found = requests.request_of(request_token)
    if found is None:
        abort(404)
    return found


def _back(request_token: str, message: str):
    from flask import flash

    flash(message, "success")
    url = url_for("municipal_services.status", request_token=request_token)
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lookup_limit, key_func=lambda: f"municipal_services.lookup:{request.remote_addr}",
               methods=["POST"])
def lookup():
    form = LookupForm()
    if form.validate_on_submit():
        found = requests.find(form.code.data, form.contact.data)
        if found is not None:
            return private(redirect(url_for("municipal_services.status",
                                            request_token=requests.token(found)), code=303))
        form.code.errors = [_("No request has this code and contact. Check both against the "
                              "message we sent you.")]
        return private(render("municipal_services/lookup.html", block="lookup_form", form=form, status=422))
    status = 422 if request.method == "POST" else 200
    return private(render("municipal_services/lookup.html", block="lookup_form", form=form, status=status))


def page(found, request_token: str, *, status: int = 200, **forms):
    now = utcnow()
    days, times, day = [], [], None
    if found.kind == "appointment" and found.status == "booked":
        days = calendar.open_days(found.service.department, now)
        day = chosen_day(found.service.department, days)
        times = calendar.times(found.service.department, day, now) if day else []
    history = list(db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == found.id)
                                      .order_by(RequestEvent.occurred_at, RequestEvent.id)))
    forms.setdefault("move_form", MoveForm(formdata=None))
    forms.setdefault("documents_form", DocumentsForm(formdata=None))
    forms.setdefault("cancel_form", ConfirmForm(formdata=None))
    return private(render(
        "municipal_services/status.html", status=status, item=found, request_token=request_token,
        history=history, files=requests.files_of(found), days=days, day=day, times=times,
        status_labels=STATUS_LABELS, when=requests.when(found), answer_text=answer_text,
        questions=[f for f in found.service.fields if f.kind != "file" and str(f.id) in found.answers],
        current_message=bool(found.message and history and history[-1].text == found.message),
        cancellable=found.status in requests.CANCELLABLE, **forms))


@bp.get("/requests/<request_token>")
def status(request_token: str):
    return page(_load(request_token), request_token)


@bp.route("/requests/<request_token>/cancel", methods=["GET", "POST"])
def cancel(request_token: str):
    found = _load(request_token)
    if request.method == "GET":  # a form's address opened by hand: its page
        return private(redirect(url_for("municipal_services.status", request_token=request_token)))
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            requests.cancel(found)
            db.session.commit()
            return private(_back(request_token, _("Your request is cancelled.")))
    return page(found, request_token, status=422, cancel_form=form)


@bp.route("/requests/<request_token>/move", methods=["GET", "POST"])
def move(request_token: str):
    found = _load(request_token)
    if request.method == "GET":  # a form's address opened by hand: its page
        return private(redirect(url_for("municipal_services.status", request_token=request_token)))
    form = MoveForm()
    if form.validate_on_submit():
        picked = calendar.parse_value(form.slot.data)
        if picked is None:
            form.slot.errors = [_("Choose a time.")]
        else:
            with refusals_onto(form):
                requests.move(found, day=picked[0], minute=picked[1])
                db.session.commit()
                return private(_back(request_token, _("Your appointment is moved.")))
    return page(found, request_token, status=422, move_form=form)


@bp.route("/requests/<request_token>/documents", methods=["GET", "POST"])
@too_large_returns_to("municipal_services.status", limit=requests.FILE_LIMIT)
def documents(request_token: str):
    found = _load(request_token)
    if request.method == "GET":  # a form's address opened by hand: its page
        return private(redirect(url_for("municipal_services.status", request_token=request_token)))
    form = DocumentsForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            files = []
            for upload in request.files.getlist("documents"):
                if upload and upload.filename:
                    try:
                        files.append(uploads.check(upload, limit=requests.FILE_LIMIT, field="documents"))
                    except UploadRefused as error:
                        raise UploadRefused(error.message, field="documents") from None
            requests.send_documents(found, files)
            db.session.commit()
            return private(_back(request_token, _("Your documents are sent.")))
    return page(found, request_token, status=422, documents_form=form)


@bp.get("/requests/<request_token>/files/<int:request_file_id>")
def file(request_token: str, request_file_id: int):
    found = _load(request_token)
    row = db.session.scalar(select(RequestFile).where(RequestFile.id == request_file_id,
                                                      RequestFile.request_id == found.id))
    if row is None:
        abort(404)
    return private(uploads.download(row.storage_path, mimetype=row.mimetype, name=row.name))
