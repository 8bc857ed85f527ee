"""Answering a survey page by page, and the confirmations before it (an e-mail link, an SMS
code). Each page is a POST form carrying the earlier answers (``answering``); the last one
saves the response and redirects to the thanks page (303, or ``HX-Redirect`` under htmx).
Works without JavaScript; htmx swaps only the form. Posts are limited per network address."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from portal.blueprints.surveys import answering, bp, identity
from portal.blueprints.surveys.building import answer_options
from portal.blueprints.surveys.forms import CodeForm, EmailForm, PhoneForm
from portal.blueprints.surveys.models import Survey
from portal.blueprints.surveys.views import (
    answer_key,
    answer_limit,
    answered_already,
    public_survey,
    show_page,
    too_fast,
)
from portal.extensions import db, limiter
from portal.i18n import current_lang
from portal.services.errors import DomainError
from portal.services.phone_codes import CodeRefused
from portal.web.forms import ConfirmForm
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.inputs import int_arg
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto

CONFIRM_LIMIT = "6 per 600 seconds"


confirm_limit = configured_limit("PORTAL_SURVEYS_CONFIRM_LIMIT", CONFIRM_LIMIT)


def _to(url: str):
    """See Other to ``url``; under htmx, a redirect of the whole page."""
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)


def _page(survey: Survey, page: answering.Page, values: dict, errors: dict | None = None,
          status: int = 200, form_error=None):
    return render("surveys/answer.html", block="survey_form", status=status, survey=survey,
                  page=page, values=values, errors=errors or {}, form_error=form_error,
                  carried=answering.carried(survey, values, page.index),
                  pages=answering.page_count(survey), answer_options=answer_options)


@bp.route("/<int:survey_id>/answer", methods=["GET", "POST"])
@limiter.limit(answer_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def answer(survey_id: int):
    survey = public_survey(survey_id)
    if survey.kind != "survey" or answering.state(survey) != "open":
        return _to(url_for("surveys.show", survey_id=survey.id))
    who = identity.respondent(survey)
    if who is None or answered_already(survey):
        return _to(url_for("surveys.show", survey_id=survey.id))
    if request.method == "GET":
        first = answering.page_at(survey, 0, {})
        if first is None:
            abort(404)
        return _page(survey, first, {})
    step = int_arg("step", 0, minimum=0, maximum=100, source=request.form)
    values = answering.read(survey, request.form, upto=step)
    page = answering.page_at(survey, step, values)
    if page is None:  # carried answers hide the page asked for: start again
        return _page(survey, answering.page_at(survey, 0, {}), {})
    if request.form.get("action") == "back":
        back = answering.previous_page(survey, page.index, values) or page
        return _page(survey, back, values)
    values, errors = answering.check_page(page, request.form, values)
    if errors:
        return _page(survey, page, values, errors, status=422)
    following = answering.page_at(survey, page.index + 1, values)
    if following is not None:
        return _page(survey, following, values)
    try:
        answering.submit(survey, values, respondent=who[0], contact=who[1], locale=current_lang())
    except DomainError as refused:
        db.session.rollback()
        if answered_already(survey):
            return _to(url_for("surveys.show", survey_id=survey.id))
        return _page(survey, page, values, status=422, form_error=str(refused))
    db.session.commit()
    return _to(url_for("surveys.thanks", survey_id=survey.id))


@bp.route("/<int:survey_id>/email", methods=["GET", "POST"])
@limiter.limit(confirm_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def send_email_link(survey_id: int):
    survey = public_survey(survey_id)
    if request.method == "GET":  # the form lives on the survey's page
        return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
    if survey.access != "email" or answering.state(survey) != "open":
        abort(404)
    form = EmailForm()
    if form.validate():
        if answering.has_answered(survey, identity.email_key(form.email.data)):
            form.email.errors = [_("An answer from this address has already been counted.")]
        else:
            with refusals_onto(form):
                identity.send_link(survey, form.email.data, language=current_lang())
                db.session.commit()
                return render("surveys/message.html", survey=survey, title=_("Check your e-mail"),
                              message=_("We sent a link to %(address)s. Open it within three days "
                                        "to answer the survey.", address=form.email.data))
    return show_page(survey, status=422, email_form=form)


@bp.route("/<int:survey_id>/email/<link_token>", methods=["GET", "POST"])
@limiter.limit(confirm_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def confirm_email(survey_id: int, link_token: str):
    survey = public_survey(survey_id)
    address = identity.read_link(survey, link_token)
    form = ConfirmForm()
    if address is None:
        return render("surveys/message.html", status=404, survey=survey, title=_("Link not valid"),
                      message=_("This link is not valid or has expired. Ask for a new one on the "
                                "survey's page."))
    if request.method == "POST" and form.validate():
        identity.confirm_email(survey, link_token)
        return redirect(url_for("surveys.answer", survey_id=survey.id), code=303)
    response = render("surveys/confirm.html", survey=survey, address=address, form=form,
                      status=422 if request.method == "POST" else 200)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/<int:survey_id>/sms", methods=["GET", "POST"])
@limiter.limit(confirm_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def send_sms_code(survey_id: int):
    survey = public_survey(survey_id)
    if request.method == "GET":  # the form lives on the survey's page
        return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
    if survey.access != "sms" or answering.state(survey) != "open":
        abort(404)
    form = PhoneForm()
    if form.validate():
        if answering.has_answered(survey, identity.phone_key(form.phone.data)):
            form.phone.errors = [_("An answer from this phone has already been counted.")]
        else:
            with refusals_onto(form):
                identity.send_code(survey, form.phone.data, language=current_lang())
                db.session.commit()
                return redirect(url_for("surveys.sms_code", survey_id=survey.id), code=303)
    return show_page(survey, status=422, phone_form=form)


@bp.route("/<int:survey_id>/sms/code", methods=["GET", "POST"])
@limiter.limit(confirm_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def sms_code(survey_id: int):
    survey = public_survey(survey_id)
    if survey.access != "sms" or identity.pending_phone(survey) is None:
        return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
    form = CodeForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            identity.confirm_code(survey, form.code.data.strip())
        except CodeRefused as refused:
            db.session.commit()  # the wrong try counts
            form.code.errors = [str(refused)]
        else:
            db.session.commit()
            return redirect(url_for("surveys.answer", survey_id=survey.id), code=303)
    return render("surveys/code.html", survey=survey, form=form, phone=identity.pending_phone(survey),
                  status=422 if request.method == "POST" else 200)
