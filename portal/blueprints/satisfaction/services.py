"""Verbs of satisfaction: the citizen's answer, and staff's moderation of comments."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from portal.blueprints.satisfaction.invitations import QUESTIONS
from portal.blueprints.satisfaction.models import RATINGS, Invitation
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

MAX_COMMENT = 2000
ALREADY = _l("You have already answered this invitation; your first answer counts. Thank you.")
#: Control characters other than line breaks and tabs are dropped from comments.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AlreadyAnswered(DomainError):
    """A second answer to one invitation."""


def clean_comment(text: str | None) -> str:
    """A comment as plain text: control characters dropped, blank lines squeezed, trimmed.
    Templates escape it; it is never rendered as HTML."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def answer(invitation: Invitation, rating, comment: str | None = None, *, extra: str | None = None,
           now: datetime | None = None) -> None:
    """Record the citizen's rating (1-5), comment and the feature's own question; flushes.

    Raises DomainError on ``rating`` (not 1-5), ``comment`` (too long) or ``extra`` (not one
    of the question's choices), AlreadyAnswered when the invitation has an answer."""
    if invitation.answered_at is not None:
        raise AlreadyAnswered(ALREADY)
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if value not in RATINGS:
        raise DomainError(_l("Choose a rating from 1 to 5."), field="rating")
    text = clean_comment(comment)
    if len(text) > MAX_COMMENT:
        raise DomainError(_l("A comment can be at most %(count)s characters.", count=MAX_COMMENT),
                          field="comment")
    question = QUESTIONS.get(invitation.kind)
    if question is not None and extra not in {choice for choice, _label in question.choices}:
        raise DomainError(_l("Choose one of the answers."), field="extra")
    # Only one of two answers sent at the same moment is taken: the row changes only while
    # it has no answer.
    done = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.answered_at.is_(None))
        .values(rating=value, answered_at=now or utcnow(), comment=text,
                comment_state="new" if text else ""))
    if done.rowcount != 1:
        raise AlreadyAnswered(ALREADY)
    if question is not None:
        question.save(invitation.subject_id, extra)
    db.session.flush()


#: Staff's moderation actions on a comment: the state each sets.
MODERATION = {"approve": "approved", "hide": "hidden"}


def moderate(invitation: Invitation, action: str) -> None:
    """Approve a comment for the public summary or hide it (audited); flushes. Raises
    DomainError when there is no comment or the action is unknown."""
    if action not in MODERATION or not invitation.comment:
        raise DomainError(_l("There is no comment to change."))
    state = MODERATION[action]
    before = invitation.comment_state
    invitation.comment_state = state
    audit.record("satisfaction.comment_approved" if action == "approve" else "satisfaction.comment_hidden",
                 target=f"satisfaction:{invitation.id}",
                 before={"comment_state": before}, after={"comment_state": state})
    db.session.flush()
