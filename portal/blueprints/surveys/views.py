"""The public pages of surveys: the list, a survey's page (who may answer, whether answers
keep any identity, the confirmation forms), the thanks page, published results with their
filter, and a quick poll's vote (htmx swaps the poll for its results in place; without
JavaScript the post redirects to the poll's page)."""

from __future__ import annotations

import time

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.surveys import answering, bp, identity, polls, presentation, results
from portal.blueprints.surveys.forms import EmailForm, PhoneForm
from portal.blueprints.surveys.models import Survey
from portal.db import utcnow
from portal.extensions import db, get_or_404, limiter
from portal.i18n import current_lang
from portal.services.errors import DomainError
from portal.web.htmx import is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render

ANSWER_LIMIT = "40 per 600 seconds"


answer_limit = configured_limit("PORTAL_SURVEYS_ANSWER_LIMIT", ANSWER_LIMIT)


def answer_key() -> str:
    return f"surveys.answer:{request.remote_addr or 'unknown'}"


def too_fast(limit):
    response = render("surveys/message.html", status=422 if is_fragment_request() else 429,
                      block="message", title=_("Please wait"),
                      message=_("Many answers came from your address in a short time. Please "
                                "wait a few minutes and try again."))
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def public_survey(survey_id: int) -> Survey:
    """This municipality's survey, unless it is a draft (404)."""
    survey = get_or_404(Survey, survey_id)
    if survey.status == "draft":
        abort(404)
    return survey


def answered_already(survey: Survey) -> bool:
    if survey.access == "anyone":
        nonce = identity.browser_nonce(create=False)
        return bool(nonce) and answering.has_answered(survey, f"browser:{nonce}")
    who = identity.respondent(survey)
    return who is not None and answering.has_answered(survey, who[0])


@bp.get("/")
def index():
    now = utcnow()
    surveys = list(db.session.scalars(select(Survey).where(Survey.status != "draft")
                                      .order_by(Survey.id.desc())))
    states = {s.id: answering.state(s, now) for s in surveys}
    return render("surveys/index.html", states=states,
                  open=[s for s in surveys if states[s.id] == "open" and s.kind == "survey"],
                  polls=[s for s in surveys if states[s.id] == "open" and s.kind == "poll"],
                  upcoming=[s for s in surveys if states[s.id] == "upcoming"],
                  past=[s for s in surveys if states[s.id] == "closed"])


def show_page(survey: Survey, *, status: int = 200, email_form=None, phone_form=None, poll=None):
    answered = answered_already(survey)
    if survey.kind == "poll" and poll is None:
        poll = polls.embed(survey, voted=answered)
    return render("surveys/show.html", status=status, survey=survey, state=answering.state(survey),
                  answered=answered, confirmed=identity.respondent(survey) is not None
                  if survey.access != "anyone" else True,
                  email_form=email_form or EmailForm(formdata=None),
                  phone_form=phone_form or PhoneForm(formdata=None), poll=poll,
                  pages=answering.page_count(survey))


@bp.get("/<int:survey_id>")
def show(survey_id: int):
    return show_page(public_survey(survey_id))


@bp.get("/<int:survey_id>/thanks")
def thanks(survey_id: int):
    return render("surveys/thanks.html", survey=public_survey(survey_id))


@bp.get("/<int:survey_id>/results")
def results_page(survey_id: int):
    survey = public_survey(survey_id)
    if not survey.results_public:
        abort(404)
    return results_response(survey, "surveys/results.html", staff=False)


def results_response(survey: Survey, template: str, *, staff: bool, **context):
    chosen = results.parse_filter(survey, request.args.get("filter"))
    computed = results.compute(survey, chosen, with_texts=staff)
    return render(template, block="results", survey=survey, results=computed,
                  shown=presentation.shown(computed), choices=results.filter_choices(survey),
                  current_filter=request.args.get("filter", "") if chosen else "", staff=staff,
                  compared=results.year_on_year(survey, staff=staff) if chosen is None else None,
                  state=answering.state(survey), **context)


@bp.route("/<int:survey_id>/vote", methods=["GET", "POST"])
@limiter.limit(answer_limit, key_func=answer_key, methods=["POST"], on_breach=too_fast)
def vote(survey_id: int):
    survey = public_survey(survey_id)
    if request.method == "GET":  # the poll's form lives on its page
        return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
    if survey.kind != "poll" or not survey.questions:
        abort(404)
    question = survey.questions[0]
    value = (request.form.get(f"q{question.id}") or "").strip()
    who = identity.respondent(survey)
    error = None
    try:
        answering.submit(survey, {question.id: value} if value else {}, respondent=who[0],
                         locale=current_lang())
        db.session.commit()
    except DomainError as refused:
        db.session.rollback()
        if answering.has_answered(survey, who[0]):
            error = None  # voted before: the results answer it
        else:
            error = refused
    if is_fragment_request():
        poll = polls.embed(survey, voted=error is None, error=error)
        return render("surveys/_poll.html", status=422 if error else 200, poll=poll)
    if error is not None:
        return show_page(survey, status=422, poll=polls.embed(survey, error=error))
    return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
