"""Read-side queries of letters: the staff inbox with its filters, the published list, a
citizen's own letters, the dashboard's counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, or_, select

from portal.blueprints.letters.lifecycle import ANSWERED, OPEN
from portal.blueprints.letters.models import Letter, LetterEvent
from portal.extensions import db

#: The inbox's "status" filter: a status, or these groups.
GROUPS = ("open", "overdue")


def inbox(recipient: str, *, today: date, status: str = "", assignee_id: int | None = None,
          unassigned: bool = False, q: str = "") -> Select:
    """The inbox of ``recipient``, oldest due date first, filtered."""
    statement = select(Letter).where(Letter.recipient == recipient)
    if status == "open":
        statement = statement.where(Letter.status.in_(OPEN))
    elif status == "overdue":
        statement = statement.where(Letter.status.in_(OPEN), Letter.due_on < today)
    elif status:
        statement = statement.where(Letter.status == status)
    if unassigned:
        statement = statement.where(Letter.assignee_id.is_(None))
    elif assignee_id:
        statement = statement.where(Letter.assignee_id == assignee_id)
    if q:
        like = f"%{q.lower()}%"
        # The tracking code is not searchable: it is stored only as a hash.
        statement = statement.where(or_(func.lower(Letter.subject).like(like),
                                        func.lower(Letter.text).like(like),
                                        func.lower(Letter.full_name).like(like),
                                        func.lower(Letter.email).like(like)))
    return statement.order_by(Letter.due_on, Letter.id)


def counts(recipient: str, today: date) -> tuple[int, int]:
    """(new letters, overdue letters) of ``recipient``."""
    new = select(func.count(Letter.id)).where(Letter.recipient == recipient,
                                               Letter.status == "received")
    late = select(func.count(Letter.id)).where(Letter.recipient == recipient,
                                                Letter.status.in_(OPEN), Letter.due_on < today)

    return db.session.scalar(new), db.session.scalar(late)


def published() -> Select:
    """Letters the writer let publish, answered, not withheld: newest answer first."""
    return (select(Letter)
            .where(Letter.wants_publication.is_(True), Letter.is_withheld.is_(False),
                   Letter.status.in_((*ANSWERED, "closed")), Letter.reply_text != "")
            .order_by(Letter.replied_at.desc(), Letter.id.desc()))


def public_letter(letter_id: int) -> Letter | None:

    return db.session.scalar(published().where(Letter.id == letter_id))


def of_author(user_id: int) -> list[Letter]:

    return list(db.session.scalars(select(Letter).where(Letter.author_id == user_id)
                                   .order_by(Letter.received_at.desc()).limit(100)))


def events(letter: Letter, kinds: tuple[str, ...] | None = None) -> list[LetterEvent]:

    statement = select(LetterEvent).where(LetterEvent.letter_id == letter.id)
    if kinds:
        statement = statement.where(LetterEvent.kind.in_(kinds))
    return list(db.session.scalars(statement.order_by(LetterEvent.occurred_at, LetterEvent.id)))
