"""Verbs of the council archive, called by the clerk's admin views, the sync and the demo.

Services flush but never commit; the caller (a view, the job runner, the CLI) commits once.
The search index follows every flush on its own (see ``search``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions import storage
from portal.blueprints.sessions.models import (
    DOCUMENT_KINDS,
    SESSION_KINDS,
    SESSION_STATUSES,
    AgendaItem,
    Attendance,
    Body,
    CouncilSession,
    Document,
    Member,
    Membership,
    Recording,
    SyncRun,
    TranscriptSegment,
)
from portal.blueprints.sessions.transcripts import TranscriptFormatError, parse
from portal.extensions import db
from portal.tenancy import current_tenant

#: Largest document a clerk may upload (PDF minutes with scans stay well below it).
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
ATTENDANCE_STATUSES = ("present", "absent", "excused")


class ArchiveError(ValueError):
    """A rule of the archive was broken; the message is shown to staff as it is.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(value: str, allowed: tuple[str, ...], what, field: str | None = None) -> None:
    if value not in allowed:
        raise ArchiveError(what, field)


def _aware_utc(value: datetime | None, message) -> datetime | None:
    """Times are stored in UTC; a time without a zone is refused (its meaning is unknown)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ArchiveError(message)
    return value.astimezone(UTC)


def _as_utc(value: datetime | None) -> datetime | None:
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
        _check(fields["kind"], SESSION_KINDS, _l("Unknown kind of session."), "kind")
    if "status" in fields:
        _check(fields["status"], SESSION_STATUSES, _l("Unknown session status."), "status")
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
    starts = fields.get("starts_at") or _as_utc(session.starts_at)
    ends = fields["ends_at"] if "ends_at" in fields else _as_utc(session.ends_at)
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
    return _as_utc(value).isoformat() if value else None


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


def check_document(filename: str, data: bytes) -> None:
    """The archive keeps PDF, Word (.docx) and text-like files (those ``storage`` knows a type
    of) up to ``DOCUMENT_MAX_BYTES``; a PDF or .docx must really be one, a text file UTF-8."""
    if not data:
        raise ArchiveError(_l("The file is empty."), "file")
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ArchiveError(_l("The file is larger than %(size)s MB.",
                              size=DOCUMENT_MAX_BYTES // (1024 * 1024)), "file")
    name = storage.safe_name(filename or "")
    kind = storage.content_type(name)
    if kind == "application/octet-stream":
        raise ArchiveError(_l("Upload a PDF, a Word (.docx) or a text file (txt, html, vtt, srt)."),
                           "file")
    if kind == "application/pdf" and not data.startswith(b"%PDF-"):
        raise ArchiveError(_l("This file is not a PDF document."), "file")
    if kind == storage.DOCX and not storage.is_docx(data):
        raise ArchiveError(_l("This file is not a Word (.docx) document."), "file")
    if kind.startswith("text/"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArchiveError(_l("A text file must be encoded in UTF-8."), "file") from exc


def add_document(session: CouncilSession, filename: str, data: bytes, *, kind: str = "other",
                 title: str = "") -> Document:
    """Store a file of a session (agenda, minutes, decision); its text becomes searchable.

    Raises ``ArchiveError`` for an unknown kind or a file ``check_document`` refuses; the
    stored file is removed again if the transaction rolls back.
    """
    _check(kind, DOCUMENT_KINDS, _l("Unknown kind of document."), "kind")
    check_document(filename, data)
    if len((title or "").strip()) > 300:
        raise ArchiveError(_l("The title is too long."), "title")
    relative, safe = storage.save(current_tenant.slug, filename, data)
    storage.unlink_on_rollback(relative)
    document = Document(session_id=session.id, kind=kind, title=title.strip() or safe,
                        filename=safe, storage_path=relative, size=len(data),
                        content_type=storage.content_type(safe),
                        text=storage.extract_text(safe, data))
    db.session.add(document)
    db.session.flush()
    return document


def delete_document(document: Document) -> None:
    """Remove a document; its file goes once the transaction commits."""
    storage.unlink_on_commit(document.storage_path)
    db.session.delete(document)
    db.session.flush()


def record_attendance(session: CouncilSession, member: Member, status: str) -> Attendance:
    _check(status, ATTENDANCE_STATUSES, _l("Unknown attendance status."))
    row = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.member_id == member.id))
    if row is None:
        row = Attendance(session_id=session.id, member_id=member.id)
        db.session.add(row)
    row.status = status
    db.session.flush()
    return row


def local_date(value: datetime) -> date:
    """The municipality's calendar day of a stored (UTC) time."""
    from zoneinfo import ZoneInfo

    return _as_utc(value).astimezone(ZoneInfo(current_tenant.config.timezone)).date()


def attendance_roster(session: CouncilSession) -> list[tuple[Member, str | None]]:
    """Who should be in the attendance list: members with a seat in the sitting's body on its
    (local) date, and anyone already recorded; each with the recorded status or None."""
    day = local_date(session.starts_at)
    seated = select(Membership.member_id).where(
        Membership.body_id == session.body_id, Membership.starts_on <= day,
        or_(Membership.ends_on.is_(None), Membership.ends_on >= day))
    recorded = {a.member_id: a.status for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    wanted = Member.id.in_(seated)
    if recorded:
        wanted = or_(wanted, Member.id.in_(list(recorded)))
    members = db.session.scalars(select(Member).where(wanted).order_by(Member.name_ka, Member.id))
    return [(m, recorded.get(m.id)) for m in members]


def save_attendance(session: CouncilSession, statuses: dict[int, str | None]) -> dict:
    """Record the attendance of a held sitting at once: ``{member id: status}``; a None status
    leaves a member unrecorded (and removes an earlier record). Only members on the roster.

    Returns the changes as ``{member id: (before, after)}``.
    """
    if session.status != "held":
        raise ArchiveError(_l("Attendance is recorded for held sessions only."))
    roster = {m.id: (m, status) for m, status in attendance_roster(session)}
    if set(statuses) - set(roster):
        raise ArchiveError(_l("Only members of the body can be marked."))
    changes = {}
    for member_id, status in statuses.items():
        member, before = roster[member_id]
        if status == before:
            continue
        if status is None:
            db.session.execute(db.delete(Attendance).where(
                Attendance.session_id == session.id, Attendance.member_id == member_id))
        else:
            record_attendance(session, member, status)
        changes[member_id] = (before, status)
    db.session.flush()
    return changes


def confirm_match(recording: Recording, session: CouncilSession | None) -> Recording:
    """Staff confirm or correct a recording's session (None: it belongs to no session).

    A confirmed match is final for the sync; the recording moves between search groups.
    """
    recording.session_id = session.id if session else None
    recording.match_confidence = 1.0 if session else 0.0
    recording.is_match_confirmed = True
    db.session.flush()
    return recording


def unconfirmed_matches(limit: int = 100) -> list[Recording]:
    """The clerk's review list: recordings matched by the sync and not yet confirmed, or
    matched to nothing, newest first."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(
        select(Recording).where(Recording.is_match_confirmed.is_(False))
        .options(selectinload(Recording.session))
        .order_by(Recording.published_at.desc().nulls_last()).limit(limit)))


def correct_segment(segment: TranscriptSegment, text: str, speaker: str | None = None
                    ) -> TranscriptSegment:
    if not (text or "").strip():
        raise ArchiveError(_l("A transcript line cannot be empty."))
    segment.text = " ".join(text.split())
    if speaker is not None:
        segment.speaker = speaker.strip()
    segment.origin = "corrected"
    db.session.flush()
    return segment


def replace_transcript(recording: Recording, cues, *, language: str = "ka",
                       origin: str = "upload") -> int:
    """Replace a recording's transcript with ``cues`` (from a file or from captions)."""
    db.session.execute(
        db.delete(TranscriptSegment).where(TranscriptSegment.recording_id == recording.id)
        .execution_options(synchronize_session=False))
    db.session.add_all(
        TranscriptSegment(recording_id=recording.id, start_seconds=c.start, end_seconds=c.end,
                          text=c.text, speaker=c.speaker, language=language, origin=origin)
        for c in cues)
    recording.has_transcript = bool(cues)
    db.session.flush()
    return len(cues)


def upload_transcript(recording: Recording, content: bytes, language: str = "ka") -> int:
    """A WebVTT or SRT file from staff replaces the recording's transcript."""
    try:
        cues = parse(content)
    except TranscriptFormatError as exc:
        raise ArchiveError(_l("The file is not a WebVTT or SRT subtitle file.")) from exc
    return replace_transcript(recording, cues, language=language, origin="upload")


def sync_status() -> dict[str, SyncRun]:
    """The clerk's view of the sync: the latest run of each source (status, counts, quota,
    error, whether it will resume)."""
    latest: dict[str, SyncRun] = {}
    for run in db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(50)):
        latest.setdefault(run.source, run)
    return latest
