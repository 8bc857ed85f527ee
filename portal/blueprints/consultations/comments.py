"""Comments: a citizen writes one while the period is open (kept hidden, a link to confirm the
e-mail address is sent), confirms it (it waits for a moderator), a moderator publishes or
rejects it (with a reason), keeps notes, and answers it publicly (the answer is e-mailed to
the commenter in their language). Functions flush, never commit; refusals are
``ConsultationError`` with the form field they concern."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.consultations import links
from portal.blueprints.consultations.models import Consultation, ConsultationComment, ConsultationSection
from portal.blueprints.consultations.services import ConsultationError, state
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import date_time, localized_plain
from portal.services.recipients import check_email

MAX_BODY = 5_000


def comment_values(comment: ConsultationComment) -> dict:
    """What the audit log keeps of a comment (no contacts)."""
    return {"consultation_id": comment.consultation_id, "status": comment.status,
            "reject_reason": comment.reject_reason or None, "answer": comment.answer or None,
            "staff_note": comment.staff_note or None}


def write(consultation: Consultation, *, name: str, email: str, body: str, locale: str,
          show_name: bool = True, section_id: int | None = None,
          now: datetime | None = None) -> ConsultationComment:
    """Take a comment while the period is open; hidden until confirmed and published. The
    link to confirm the address is e-mailed (sealed in the outbox)."""
    when = state(consultation, now)
    if not consultation.is_published or when == "upcoming":
        raise ConsultationError(_l("Comments on this consultation are not open yet."))
    if when == "closed":
        raise ConsultationError(_l("The comment period ended on %(date)s; comments are no longer taken.",
                                   date=date_time(consultation.closes_at)))
    body = (body or "").strip()
    if not body:
        raise ConsultationError(_l("Write your comment."), "body")
    if len(body) > MAX_BODY:
        raise ConsultationError(_l("Write at most %(count)s characters.", count=MAX_BODY), "body")
    name = (name or "").strip()[:120]
    if show_name and not name:
        raise ConsultationError(_l("Write your name, or choose to comment anonymously."), "name")
    section = None
    if section_id:
        section = db.session.get(ConsultationSection, section_id)
        if section is None or section.consultation_id != consultation.id:
            raise ConsultationError(_l("Choose a section from the list."), "section")
    try:
        address = check_email(email)
    except ValueError:
        raise ConsultationError(_l("Enter an e-mail address."), "email") from None
    comment = ConsultationComment(consultation_id=consultation.id, section_id=section.id if section else None,
                                  name=name, show_name=bool(show_name), email=address, locale=locale,
                                  body=body, status="unconfirmed")
    db.session.add(comment)
    db.session.flush()
    _mail_link(consultation, comment)
    return comment


def _mail_link(consultation: Consultation, comment: ConsultationComment) -> None:
    from portal.services.outbox import queue_email
    from portal.tenancy.links import message_url

    secret = links.token(comment)
    with force_locale(comment.locale):
        queue_email(
            to=comment.email, template="notice", locale=comment.locale, secret=secret, new_key=True,
            idempotency_key=f"consultations.confirm:{comment.id}",
            context={"title": _("Confirm your comment"),
                     "lines": [_("You commented on “%(title)s”.",
                                 title=localized_plain(consultation.text("title"))),
                               _("Open the link below to confirm your e-mail address. A moderator "
                                 "then reads your comment before it is published."),
                               _("If you did not write it, ignore this message: nothing is published.")],
                     "action_url": message_url("consultations.confirm", link_token=secret),
                     "action_label": _("Confirm my comment")})


def confirm(comment: ConsultationComment) -> bool:
    """The address is confirmed: the comment waits for a moderator. False when it already was."""
    if comment.status != "unconfirmed":
        return False
    comment.status, comment.confirmed_at = "pending", utcnow()
    db.session.flush()
    return True


def publish(comment: ConsultationComment) -> None:
    """Show a confirmed comment on the consultation's page."""
    if comment.status == "unconfirmed":
        raise ConsultationError(_l("The commenter has not confirmed the e-mail address yet."))
    comment.status, comment.reject_reason = "published", ""
    if comment.published_at is None:
        comment.published_at = utcnow()
    db.session.flush()


def reject(comment: ConsultationComment, reason: str) -> None:
    """Keep a comment hidden, with the reason (staff only)."""
    reason = (reason or "").strip()
    if not reason:
        raise ConsultationError(_l("Say why the comment is rejected."), "reason")
    comment.status, comment.reject_reason = "rejected", reason[:2_000]
    db.session.flush()


def note(comment: ConsultationComment, text: str) -> None:
    comment.staff_note = (text or "").strip()[:5_000]
    db.session.flush()


def answer(comment: ConsultationComment, text: str) -> None:
    """The municipality's public answer under a published comment, e-mailed to the commenter
    in their language (once per version of the answer)."""
    text = (text or "").strip()
    if comment.status != "published":
        raise ConsultationError(_l("Publish the comment before answering it."))
    if not text:
        raise ConsultationError(_l("Write the answer."), "answer")
    if len(text) > MAX_BODY:
        raise ConsultationError(_l("Write at most %(count)s characters.", count=MAX_BODY), "answer")
    comment.answer, comment.answered_at = text, utcnow()
    db.session.flush()
    _mail_answer(comment)


def _mail_answer(comment: ConsultationComment) -> None:
    from portal.services.outbox import queue_email
    from portal.tenancy.links import message_url

    consultation = db.session.get(Consultation, comment.consultation_id)
    with force_locale(comment.locale):
        queue_email(
            to=comment.email, template="letter_reply", locale=comment.locale,
            idempotency_key=f"consultations.answer:{comment.id}:{comment.answered_at.timestamp():.0f}",
            context={"title": _("An answer to your comment on “%(title)s”",
                                title=localized_plain(consultation.text("title"))),
                     "reply": comment.answer,
                     "action_url": message_url("consultations.show", consultation_id=consultation.id)
                     + f"#comment-{comment.id}",
                     "action_label": _("Read it on the consultation's page")})
