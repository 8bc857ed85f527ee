"""The public pages: the answer page an invitation's link opens (no sign-in; a GET changes
nothing, its POST form records the answer once), and the summary of the figures."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.satisfaction import bp, links, services, stats
from portal.blueprints.satisfaction.forms import RATING_LABELS, answer_form
from portal.blueprints.satisfaction.invitations import KINDS, QUESTIONS
from portal.extensions import db
from portal.web.charts import column_chart
from portal.web.htmx import is_fragment_request
from portal.web.rendering import render, render_public
from portal.web.staff_forms import refusals_onto, saved

PROBLEMS = {
    "bad": (404, _l("This link is not valid. Open the link in the message we sent you.")),
    "expired": (410, _l("This link has expired: answers are taken for %(days)s days after the "
                        "invitation. Thank you all the same.")),
}
PUBLIC_COMMENTS = 10


@bp.route("/answer/<link_token>", methods=["GET", "POST"])
def answer(link_token: str):
    from flask import request

    from portal.blueprints.satisfaction.invitations import VALID_DAYS

    invitation, problem = links.invitation_of(link_token)
    if problem:
        status, message = PROBLEMS[problem]
        return _page(None, link_token, None, status=status,
                     problem=str(message) % {"days": VALID_DAYS} if problem == "expired" else str(message))
    question = QUESTIONS.get(invitation.kind)
    form = answer_form(question, formdata=None if request.method == "GET" else request.form)
    if request.method == "GET":
        return _page(invitation, link_token, form)
    if invitation.answered_at is not None:
        return _page(invitation, link_token, form, status=409, problem=str(services.ALREADY))
    if form.validate():
        with refusals_onto(form) as refused:
            services.answer(invitation, form.rating.data, form.comment.data,
                            extra=form.extra.data if question else None)
            return saved(_("Thank you: your answer is recorded."),
                         url_for("satisfaction.answer", link_token=link_token),
                         fragment=lambda: _page(invitation, link_token, form, thanked=True))
        if refused and isinstance(refused.error, services.AlreadyAnswered):
            return _page(invitation, link_token, form, status=409, problem=str(services.ALREADY))
    return _page(invitation, link_token, form, status=422)


def _page(invitation, token, form, *, status=200, problem=None, thanked=False):
    if status >= 400 and is_fragment_request():
        # htmx swaps 422 only (base.html's htmx-config): a refusal must still be seen in place.
        status = 422
    response = render("satisfaction/answer.html", block="answer", status=status,
                      invitation=invitation, token=token, form=form, problem=problem,
                      thanked=thanked, kinds=KINDS, rating_labels=RATING_LABELS)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/")
def index():
    return render_public("satisfaction/index.html", compute=_summary_context)


def _summary_context() -> dict:
    summary = stats.summary()
    return {"summary": summary, "kinds": KINDS, "charts": charts(summary), "quarter_label": quarter_label,
            "comments": list(db.session.scalars(stats.comments("approved", public=True)
                                                .limit(PUBLIC_COMMENTS)))}


def quarter_label(day) -> str:
    return _("Q%(quarter)s %(year)s", quarter=(day.month - 1) // 3 + 1, year=day.year)


def charts(summary) -> dict:
    """The share satisfied and the answers per quarter, as column charts."""
    quarters = [q for q in summary.by_quarter if q.answered]
    if not quarters:
        return {}
    return {
        "satisfied": column_chart([(quarter_label(q.key), quarter_label(q.key), q.satisfied_percent or 0)
                                   for q in quarters], max_labels=3),
        "answers": column_chart([(quarter_label(q.key), quarter_label(q.key), q.answered)
                                 for q in quarters], max_labels=3),
    }
