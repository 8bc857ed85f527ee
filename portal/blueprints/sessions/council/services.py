"""Verbs on council sessions and their agendas, and the rule every verb of the archive follows.

The other verbs live beside this module, one job each: ``documents`` (a session's files),
``attendance`` (the roll of a held session), ``recordings`` (a recording's session match and
its transcript), ``composition`` (bodies, members, seats). All of them raise ``ArchiveError``
and flush but never commit; the caller (a view, the job runner, the CLI) commits once.
The search index follows every flush on its own (see ``search``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.models import (
    SESSION_KINDS,
    SESSION_STATUSES,
    AgendaItem,
    Body,
    CouncilSession,
    Member,
)
from portal.extensions import db
from portal.services import storage
from portal.services.errors import DomainError


class ArchiveError(DomainError):
    """A rule of the archive was broken; the message is shown to staff as it is.

    ``field`` names the form field the message belongs to, when there is one.
    """


def check_choice(value: str, allowed: tuple[str, ...], what, field: str | None = None) -> None:
    """Refuse a value outside ``allowed`` (a kind, a status) with the message ``what``."""
    if value not in allowed:
        raise ArchiveError(what, field)


def _aware_utc(value: datetime | None, message) -> datetime | None:
    """Times are stored in UTC; a time without a zone is refused (its meaning is unknown)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ArchiveError(message)
    return value.astimezone(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime."""
    # SQLite hands back naive UTC datetimes; PostgreSQL aware ones.
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_session(body: Body, title: str, starts_at: datetime, *, kind: str = "regular",
                   status: str = "scheduled", place: str = "", description: str = "",
                   ends_at: datetime | None = None,
                   agenda: list[tuple[str, Member | None]] = ()) -> CouncilSession:
    """A new sitting of ``body`` with its agenda in order. Raises ``ArchiveError``."""
    session = CouncilSession(body_id=body.id, title="", starts_at=starts_at)
    update_session(session, title=title, starts_at=starts_at, ends_at=ends_at, kind=kind,
                   status=status, place=place, description=description)
    db.session.add(session)
    db.session.flush()
    for title_, reporter in agenda:
        add_agenda_item(session, title_, reporter)
    return session


SESSION_FIELDS = ("body_id", "title", "description", "kind", "status", "place", "starts_at",
                  "ends_at")


def update_session(session: CouncilSession, **fields) -> CouncilSession:
    """Change a sitting's body, title, time, place, kind, status or description.

    Times must carry a time zone and are stored in UTC; the end may not precede the start.
    Raises ``ArchiveError`` (with the field it concerns).
    """
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ArchiveError(f"unknown fields {sorted(unknown)}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise ArchiveError(_l("A session needs a title."), "title")
    if "kind" in fields:
        check_choice(fields["kind"], SESSION_KINDS, _l("Unknown kind of session."), "kind")
    if "status" in fields:
        check_choice(fields["status"], SESSION_STATUSES, _l("Unknown session status."), "status")
    if "body_id" in fields and db.session.scalar(
            select(Body.id).where(Body.id == fields["body_id"])) is None:
        raise ArchiveError(_l("Choose a body of this municipality."), "body_id")
    if "starts_at" in fields:
        fields["starts_at"] = _aware_utc(fields["starts_at"],
                                         _l("The start time needs a time zone."))
        if fields["starts_at"] is None:
            raise ArchiveError(_l("A session needs a start time."), "starts_at")
    if "ends_at" in fields:
        fields["ends_at"] = _aware_utc(fields["ends_at"], _l("The end time needs a time zone."))
    starts = fields.get("starts_at") or as_utc(session.starts_at)
    ends = fields["ends_at"] if "ends_at" in fields else as_utc(session.ends_at)
    if starts and ends and ends < starts:
        raise ArchiveError(_l("The session cannot end before it starts."), "ends_at")
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return session


def session_values(session: CouncilSession) -> dict:
    """What the audit log records of a sitting."""
    return {"body_id": session.body_id, "title": session.title, "kind": session.kind,
            "status": session.status, "place": session.place,
            "description": session.description,
            "starts_at": _iso(session.starts_at), "ends_at": _iso(session.ends_at)}


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def delete_session(session: CouncilSession) -> int:
    """Delete a sitting with its agenda, documents (files too, once committed) and attendance.

    Its recordings stay, matched to nothing and unconfirmed, so they return to the clerk's
    review list and stay searchable on their own. Returns how many recordings were unmatched.
    """
    loaded = db.session.scalar(
        select(CouncilSession).where(CouncilSession.id == session.id)
        .options(selectinload(CouncilSession.agenda_items),
                 selectinload(CouncilSession.documents),
                 selectinload(CouncilSession.attendance),
                 selectinload(CouncilSession.recordings))
        .execution_options(populate_existing=True))
    recordings = list(loaded.recordings)
    for recording in recordings:
        recording.session_id = None
        recording.match_confidence = 0.0
        recording.is_match_confirmed = False
    storage.unlink_on_commit(*(d.storage_path for d in loaded.documents))
    db.session.delete(loaded)
    db.session.flush()
    return len(recordings)


def _agenda(session_id: int) -> list[AgendaItem]:
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.session_id == session_id)
        .order_by(AgendaItem.position, AgendaItem.id)))


def _check_agenda_fields(title: str, reporter: Member | None, start_seconds: int | None) -> str:
    title = (title or "").strip()
    if not title:
        raise ArchiveError(_l("An agenda item needs a title."), "title")
    if start_seconds is not None and not 0 <= start_seconds <= 24 * 3600:
        raise ArchiveError(_l("The start must lie within the first 24 hours of the recording."),
                           "start")
    if reporter is not None and db.session.scalar(
            select(Member.id).where(Member.id == reporter.id)) is None:
        raise ArchiveError(_l("Choose a member of this municipality."), "reporter_id")
    return title


def add_agenda_item(session: CouncilSession, title: str, reporter: Member | None = None,
                    start_seconds: int | None = None) -> AgendaItem:
    """Append an item to the sitting's agenda. Raises ``ArchiveError``."""
    title = _check_agenda_fields(title, reporter, start_seconds)
    position = db.session.scalar(
        select(func.coalesce(func.max(AgendaItem.position), 0))
        .where(AgendaItem.session_id == session.id)) + 1
    item = AgendaItem(session_id=session.id, position=position, title=title,
                      reporter_id=reporter.id if reporter else None,
                      start_seconds=start_seconds)
    db.session.add(item)
    db.session.flush()
    return item


def update_agenda_item(item: AgendaItem, title: str, reporter: Member | None = None,
                       start_seconds: int | None = None) -> AgendaItem:
    """Change an item's title, reporter or start second in the recording."""
    item.title = _check_agenda_fields(title, reporter, start_seconds)
    item.reporter_id = reporter.id if reporter else None
    item.start_seconds = start_seconds
    db.session.flush()
    return item


def agenda_values(item: AgendaItem) -> dict:
    return {"title": item.title, "reporter_id": item.reporter_id,
            "start_seconds": item.start_seconds, "position": item.position}


def move_agenda_item(item: AgendaItem, offset: int) -> bool:
    """Move an item one place up (-1) or down (+1); False when it is already at that end.

    Positions are renumbered 1..n as a side effect, so gaps left by deletions close.
    """
    if offset not in (-1, 1):
        raise ArchiveError(f"offset must be -1 or 1, not {offset}")
    items = _agenda(item.session_id)
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index + offset
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    return True


def delete_agenda_item(item: AgendaItem) -> None:
    """Remove an item; the ones after it move up."""
    session_id = item.session_id
    db.session.delete(item)
    db.session.flush()
    _renumber(_agenda(session_id))


def _renumber(items: list[AgendaItem]) -> None:
    for number, each in enumerate(items, start=1):
        each.position = number
    db.session.flush()
