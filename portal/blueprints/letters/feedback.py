"""Asking the writer, some days after the answer (or the due date), whether the answer was
useful: once, by e-mail, with a signed link to a page whose POST form records the answer
(a GET never changes anything, so a mail scanner cannot answer for them).

Where the municipality has satisfaction on, that one message is satisfaction's invitation
(``satisfaction.invitations``): its page asks this question beside the 1-5 rating and hands
the answer back here (``record_satisfaction_answer``), so the writer is asked once about one
letter and the letters' statistics keep counting the answers. Our own page
(``feedback_page``) still answers the links sent before."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select

from portal.blueprints.letters.models import FEEDBACK, Letter
from portal.blueprints.letters.settings import letters_settings
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services.errors import DomainError
from portal.tenancy import current_tenant

_SALT = "letters.feedback"
BAD_LINK = _l("This link is not valid. Open the link in the e-mail we sent you.")
#: Most letters asked in one run (the next run takes the rest).
BATCH = 200


def token(letter: Letter) -> str:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT).dumps(
        {"l": letter.id, "t": letter.tenant_id})


def letter_of(link_token: str) -> Letter | None:
    """The letter a feedback link names: this municipality's, not anonymised; else None."""
    if not link_token or len(link_token) > 200:
        return None
    try:
        data = URLSafeSerializer(current_app.secret_key, salt=_SALT).loads(link_token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") != current_tenant.id:
        return None
    letter = db.session.get(Letter, data.get("l"))
    return letter if letter is not None and letter.anonymised_at is None else None


def due_for_asking(now: datetime) -> list[Letter]:
    """Letters of the current municipality to ask now: answered, or past due, ``feedback_after_days``
    ago; never asked; contacts still kept."""
    days = int(letters_settings.get("feedback_after_days") or 14)
    since = now - timedelta(days=days)
    return list(db.session.scalars(
        select(Letter).where(
            Letter.feedback_asked_at.is_(None), Letter.anonymised_at.is_(None), Letter.email != "",
            or_(and_(Letter.answered_at.is_not(None), Letter.answered_at <= since),
                and_(Letter.answered_at.is_(None), Letter.due_on <= to_local(since).date())))
        .order_by(Letter.id).limit(BATCH)))


def ask_due(now: datetime | None = None) -> int:
    """E-mail each letter ``due_for_asking``; flushes. Returns how many were asked."""
    from portal.blueprints.satisfaction import invitations
    from portal.services.outbox import queue_email
    from portal.tenancy.links import message_url

    now = now or utcnow()
    letters = due_for_asking(now)
    invited = False
    for letter in letters:
        letter.feedback_asked_at = now
        # One message about one letter: satisfaction's invitation asks this question beside
        # its 1-5 rating (``satisfaction_question``); our own only where satisfaction is off.
        if invitations.invite("letter", letter.id, _department(letter), email=letter.email,
                              phone=letter.phone, locale=letter.locale):
            invited = True
            continue
        link = token(letter)
        with force_locale(letter.locale):
            queue_email(
                to=letter.email, template="notice", locale=letter.locale, secret=link,
                idempotency_key=f"letters.feedback:{letter.id}",
                context={"title": _("Did you get a useful answer?"),
                         "lines": [_("You wrote to the municipality about “%(subject)s”. Did you "
                                     "get a useful answer? One click tells us; the answers are "
                                     "counted in the public statistics, without your name.",
                                     subject=letter.subject)],
                         "action_url": message_url("letters.feedback_page", link_token=link),
                         "action_label": _("Answer")})
    db.session.flush()
    if invited:
        invitations.send_pending(now)
    return len(letters)


def _department(letter: Letter) -> str:
    from portal.blueprints.letters.lifecycle import RECIPIENT_LABELS

    if letter.department:
        return letter.department
    with force_locale("ka"):  # departments are the municipality's words, in Georgian
        return str(RECIPIENT_LABELS.get(letter.recipient, letter.recipient))


def record_satisfaction_answer(letter_id: int, value: str) -> bool:
    """The writer's answer given on satisfaction's page (its ``Question`` for letters)."""
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.anonymised_at is not None:
        return False
    return answer(letter, value)


def satisfaction_question():
    """"Did you get a useful answer?", asked on satisfaction's page beside the rating."""
    from portal.blueprints.letters.lifecycle import FEEDBACK_LABELS
    from portal.blueprints.satisfaction.invitations import Question

    return Question(label=_l("Did you get a useful answer?"),
                    choices=tuple((value, FEEDBACK_LABELS[value]) for value in FEEDBACK),
                    save=record_satisfaction_answer)


def answer(letter: Letter, value: str, *, now: datetime | None = None) -> bool:
    """Record the writer's answer once; returns False when they had answered already. Raises
    DomainError for a value not in FEEDBACK."""
    if value not in FEEDBACK:
        raise DomainError(_l("Choose one of the answers."), field="answer")
    if letter.feedback is not None:
        return False
    letter.feedback, letter.feedback_at = value, now or utcnow()
    db.session.flush()
    return True
