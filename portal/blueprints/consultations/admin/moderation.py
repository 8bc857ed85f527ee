"""Moderating comments: the list (by status and consultation), one comment with its
moderation, answer and note forms; publishing, rejecting with a reason, answering (e-mailed to
the commenter), the staff's note. Each action audit-logged before the one commit; the
commenter's e-mail address is shown to staff only, on the comment's page, whose opening is
logged as a read of personal data."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.consultations import comments as verbs
from portal.blueprints.consultations.admin import bp
from portal.blueprints.consultations.admin.forms import AnswerForm, NoteForm, RejectForm
from portal.blueprints.consultations.labels import COMMENT_STATUS_LABELS
from portal.blueprints.consultations.models import Consultation, ConsultationComment, ConsultationSection
from portal.db import writes_on_read
from portal.extensions import db, get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PER_PAGE = 30


@bp.get("/comments")
@requires("consultations.manage")
def comments():
    wanted = request.args.get("status") if request.args.get("status") in COMMENT_STATUS_LABELS else ""
    consultation_id = int_arg("consultation", None, minimum=1, clamp=False)
    statement = select(ConsultationComment).options(selectinload(ConsultationComment.consultation),
                                                    selectinload(ConsultationComment.section))
    if wanted:
        statement = statement.where(ConsultationComment.status == wanted)
    if consultation_id:
        statement = statement.where(ConsultationComment.consultation_id == consultation_id)
    rows = paginate(statement.order_by(ConsultationComment.id.desc()), page_arg(), PER_PAGE)
    consultations = list(db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc())))
    return render("consultations/admin/comments.html", block="results", rows=rows, wanted=wanted,
                  consultation_id=consultation_id, consultations=consultations,
                  status_labels=COMMENT_STATUS_LABELS)


def _page(comment: ConsultationComment, *, reject_form=None, answer_form=None, note_form=None,
          errors=(), status: int = 200):
    return render("consultations/admin/comment.html", status=status, comment=comment, errors=list(errors),
                  consultation=db.session.get(Consultation, comment.consultation_id),
                  section=db.session.get(ConsultationSection, comment.section_id) if comment.section_id else None,
                  status_labels=COMMENT_STATUS_LABELS, reject_form=reject_form or RejectForm(),
                  answer_form=answer_form or AnswerForm(data={"answer": comment.answer}),
                  note_form=note_form or NoteForm(data={"note": comment.staff_note}))


def _back(comment: ConsultationComment, message: str):
    return saved(message, url_for("consultations_admin.comment", consultation_comment_id=comment.id))


@bp.get("/comments/<int:consultation_comment_id>")
@writes_on_read
@requires("consultations.manage")
def comment(consultation_comment_id: int):
    found = get_or_404(ConsultationComment, consultation_comment_id)
    audit.record_read("consultation_comment", target=f"consultation_comment:{found.id}")
    db.session.commit()
    return _page(found)


@bp.post("/comments/<int:consultation_comment_id>/publish")
@requires("consultations.manage")
def publish_comment(consultation_comment_id: int):
    comment = get_or_404(ConsultationComment, consultation_comment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        before = verbs.comment_values(comment)
        with refusals_onto(form):
            verbs.publish(comment)
            audit.record("consultations.comment_published", target=f"consultation_comment:{comment.id}",
                         before={"status": before["status"]}, after={"status": comment.status})
            return _back(comment, _("The comment is published."))
    return _page(comment, errors=[*form.form_errors, *form.csrf_token.errors], status=422)


@bp.post("/comments/<int:consultation_comment_id>/reject")
@requires("consultations.manage")
def reject_comment(consultation_comment_id: int):
    comment = get_or_404(ConsultationComment, consultation_comment_id)
    form = RejectForm()
    if form.validate_on_submit():
        before = verbs.comment_values(comment)
        with refusals_onto(form):
            verbs.reject(comment, form.reason.data)
            audit.record("consultations.comment_rejected", target=f"consultation_comment:{comment.id}",
                         before={"status": before["status"]},
                         after={"status": comment.status, "reject_reason": comment.reject_reason})
            return _back(comment, _("The comment is rejected; it stays hidden."))
    return _page(comment, reject_form=form, status=422)


@bp.post("/comments/<int:consultation_comment_id>/answer")
@requires("consultations.manage")
def answer_comment(consultation_comment_id: int):
    comment = get_or_404(ConsultationComment, consultation_comment_id)
    form = AnswerForm()
    if form.validate_on_submit():
        before = comment.answer or None
        with refusals_onto(form):
            verbs.answer(comment, form.answer.data)
            audit.record("consultations.comment_answered", target=f"consultation_comment:{comment.id}",
                         before={"answer": before}, after={"answer": comment.answer})
            return _back(comment, _("The answer is published and e-mailed to the commenter."))
    return _page(comment, answer_form=form, errors=form.form_errors if comment.status != "published" else (),
                 status=422)


@bp.post("/comments/<int:consultation_comment_id>/note")
@requires("consultations.manage")
def note_comment(consultation_comment_id: int):
    comment = get_or_404(ConsultationComment, consultation_comment_id)
    form = NoteForm()
    if form.validate_on_submit():
        before = comment.staff_note or None
        verbs.note(comment, form.note.data)
        audit.record("consultations.comment_noted", target=f"consultation_comment:{comment.id}",
                     before={"staff_note": before}, after={"staff_note": comment.staff_note or None})
        return _back(comment, _("The note is saved."))
    return _page(comment, note_form=form, status=422)
