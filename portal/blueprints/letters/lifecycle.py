"""A letter's life in the staff's hands: statuses, assignment, notes and the reply, each a
dated event and an audit entry.

received → in_progress → answered / forwarded / closed (answered and forwarded may close
later; a closed letter may be reopened into in_progress). The due date is fixed when the
letter arrives; a letter still received or in progress after it is overdue.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.letters.models import Letter, LetterEvent
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("in_progress", "answered", "forwarded", "closed"),
    "in_progress": ("answered", "forwarded", "closed"),
    "answered": ("closed",),
    "forwarded": ("closed",),
    "closed": ("in_progress",),
}
#: Statuses in which the letter waits for staff (overdue after its due date).
OPEN = ("received", "in_progress")
#: Statuses that count as answered in the statistics.
ANSWERED = ("answered", "forwarded")

STATUS_LABELS = {
    "received": _l("Received"),
    "in_progress": _l("In progress"),
    "answered": _l("Answered"),
    "forwarded": _l("Forwarded to another authority"),
    "closed": _l("Closed"),
}
RECIPIENT_LABELS = {
    "mayor": _l("Mayor"),
    "chair": _l("Chair of the Sakrebulo"),
}
FEEDBACK_LABELS = {
    "useful": _l("Yes, a useful answer"),
    "acknowledgement": _l("Only an acknowledgement"),
    "not_useful": _l("No"),
}


def _actor_id(actor) -> int | None:
    """Who took the step: ``actor``, else the signed-in staff member (as ``audit.record``
    does), so the letter's history names them when a view calls without ``actor``."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    return getattr(actor, "id", None)


def is_overdue(letter: Letter, today: date) -> bool:
    return letter.status in OPEN and today > letter.due_on


def move(letter: Letter, to: str, *, actor=None, note: str = "", forwarded_to: str = "",
         now: datetime | None = None) -> LetterEvent:
    """Move ``letter`` to status ``to`` with a dated event and an audit entry; flushes.

    Forwarding needs ``forwarded_to`` (the authority). Raises DomainError when the step is
    not allowed from the current status."""
    now = now or utcnow()
    if to not in TRANSITIONS.get(letter.status, ()):
        raise DomainError(_l("A letter cannot move from “%(current)s” to “%(new)s”.",
                             current=STATUS_LABELS.get(letter.status, letter.status),
                             new=STATUS_LABELS.get(to, to)), field="status")
    if to == "forwarded":
        forwarded_to = " ".join(forwarded_to.split())
        if not forwarded_to:
            raise DomainError(_l("Say where the letter was forwarded."), field="forwarded_to")
        letter.forwarded_to = forwarded_to[:300]
    before = letter.status
    letter.status = to
    if to in ANSWERED and letter.answered_at is None:
        letter.answered_at = now
    if to in ANSWERED or to == "closed":
        letter.closed_at = now
    elif to == "in_progress":
        letter.closed_at = None
    event = LetterEvent(letter_id=letter.id, kind="status", from_status=before, to_status=to,
                        text=note.strip(), actor_id=_actor_id(actor), occurred_at=now)
    db.session.add(event)
    audit.record("letters.status_changed", target=f"letter:{letter.id}",
                 before={"status": before}, after={"status": to}, actor=actor)
    db.session.flush()
    return event


def assign(letter: Letter, *, department: str, assignee_id: int | None, actor=None,
           now: datetime | None = None) -> LetterEvent:
    """Assign to a department and/or a person; flushes. A received letter goes in progress."""
    department = " ".join((department or "").split())[:200]
    before = {"department": letter.department, "assignee_id": letter.assignee_id}
    letter.department, letter.assignee_id = department, assignee_id
    event = LetterEvent(letter_id=letter.id, kind="assigned", text=department,
                        actor_id=_actor_id(actor), occurred_at=now or utcnow())
    db.session.add(event)
    audit.record("letters.assigned", target=f"letter:{letter.id}", before=before,
                 after={"department": department, "assignee_id": assignee_id}, actor=actor)
    if letter.status == "received":
        move(letter, "in_progress", actor=actor, now=now)
    db.session.flush()
    return event


def add_note(letter: Letter, text: str, *, actor=None, now: datetime | None = None) -> LetterEvent:
    """An internal note, seen by staff only; flushes."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the note."), field="text")
    event = LetterEvent(letter_id=letter.id, kind="note", text=text[:4000],
                        actor_id=_actor_id(actor), occurred_at=now or utcnow())
    db.session.add(event)
    audit.record("letters.note_added", target=f"letter:{letter.id}", actor=actor)
    db.session.flush()
    return event


def reply(letter: Letter, text: str, *, actor=None, now: datetime | None = None) -> LetterEvent:
    """Send ``text`` to the writer by e-mail (in their language) and keep it on the tracking
    page; the letter becomes answered. Raises DomainError for an empty reply, a closed or
    anonymised letter."""
    now = now or utcnow()
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the answer."), field="text")
    if letter.status == "closed" or letter.anonymised_at is not None:
        raise DomainError(_l("This letter is closed; reopen it to answer."))
    letter.reply_text, letter.replied_at = text[:20000], now
    event = LetterEvent(letter_id=letter.id, kind="reply", text=letter.reply_text,
                        actor_id=_actor_id(actor), occurred_at=now)
    db.session.add(event)
    audit.record("letters.replied", target=f"letter:{letter.id}", actor=actor)
    if letter.status in ("received", "in_progress"):
        move(letter, "answered", actor=actor, now=now)
    db.session.flush()
    _mail_reply(letter)
    return event


def set_withheld(letter: Letter, withheld: bool, *, actor=None) -> None:
    """Keep the letter off the public list (or let it back on); flushes."""
    before = letter.is_withheld
    letter.is_withheld = withheld
    audit.record("letters.publication_withheld" if withheld else "letters.publication_allowed",
                 target=f"letter:{letter.id}", before={"withheld": before},
                 after={"withheld": withheld}, actor=actor)
    db.session.flush()


def _mail_reply(letter: Letter) -> None:
    from portal.services.outbox import queue_email
    from portal.tenancy.links import message_url

    if not letter.email:
        return
    with force_locale(letter.locale):
        queue_email(
            to=letter.email, template="letter_reply", locale=letter.locale,
            idempotency_key=f"letters.reply:{letter.id}:{letter.replied_at.timestamp()}",
            context={"title": _("An answer to your letter “%(subject)s”", subject=letter.subject),
                     "reply": letter.reply_text,
                     "action_url": message_url("letters.track"),
                     "action_label": _("Follow your letter")})
