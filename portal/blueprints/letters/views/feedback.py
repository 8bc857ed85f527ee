"""The writer's answer to "did you get a useful answer?": the e-mail's link opens a page, its
POST form records the answer once."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.blueprints.letters import bp, feedback
from portal.blueprints.letters.forms import FeedbackForm
from portal.extensions import db
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto


@bp.get("/feedback/<link_token>")
def feedback_page(link_token: str):
    letter = feedback.letter_of(link_token)
    if letter is None:
        return _page(None, link_token, FeedbackForm(formdata=None), status=404)
    return _page(letter, link_token, FeedbackForm(formdata=None))


@bp.post("/feedback/<link_token>")
def feedback_answer(link_token: str):
    letter = feedback.letter_of(link_token)
    form = FeedbackForm()
    if letter is None:
        return _page(None, link_token, form, status=404)
    if form.validate():
        with refusals_onto(form):
            recorded = feedback.answer(letter, form.answer.data)
            db.session.commit()
            return _page(letter, link_token, form, done=True, already=not recorded)
    return _page(letter, link_token, form, status=422)


def _page(letter, token, form, *, status=200, done=False, already=False):
    response = render("letters/feedback.html", status=status, letter=letter, token=token,
                      form=form, done=done, already=already,
                      bad_link=_("This link is not valid. Open the link in the e-mail we sent you.")
                      if letter is None else None)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
