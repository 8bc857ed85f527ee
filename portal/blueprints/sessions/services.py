"""Verbs of the council archive, called by the clerk's admin views, the sync and the demo.

Services flush but never commit; the caller (a view, the job runner, the CLI) commits once.
The search index follows every flush on its own (see ``search``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

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
    Recording,
    SyncRun,
    TranscriptSegment,
)
from portal.blueprints.sessions.transcripts import TranscriptFormatError, parse
from portal.extensions import db
from portal.tenancy import current_tenant


class ArchiveError(ValueError):
    """A rule of the archive was broken; the message is shown to staff as it is."""


def _check(value: str, allowed: tuple[str, ...], what) -> None:
    if value not in allowed:
        raise ArchiveError(what)


def create_session(body: Body, title: str, starts_at: datetime, *, kind: str = "regular",
                   status: str = "scheduled", place: str = "", description: str = "",
                   agenda: list[tuple[str, Member | None]] = ()) -> CouncilSession:
    """A new sitting of ``body`` with its agenda in order. Raises ``ArchiveError``."""
    session = CouncilSession(body_id=body.id, title="", starts_at=starts_at)
    update_session(session, title=title, starts_at=starts_at, kind=kind, status=status,
                   place=place, description=description)
    db.session.add(session)
    db.session.flush()
    for title_, reporter in agenda:
        add_agenda_item(session, title_, reporter)
    return session


def update_session(session: CouncilSession, **fields) -> CouncilSession:
    """Change a sitting's title, time, place, kind, status or description."""
    if "title" in fields and not (fields["title"] or "").strip():
        raise ArchiveError(_l("A session needs a title."))
    if "kind" in fields:
        _check(fields["kind"], SESSION_KINDS, _l("Unknown kind of session."))
    if "status" in fields:
        _check(fields["status"], SESSION_STATUSES, _l("Unknown session status."))
    if fields.get("starts_at") is not None and fields["starts_at"].tzinfo is None:
        raise ArchiveError(_l("The start time needs a time zone."))
    for name, value in fields.items():
        if name not in {"title", "starts_at", "ends_at", "kind", "status", "place",
                        "description", "body_id"}:
            raise ArchiveError(f"unknown field {name}")
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return session


def add_agenda_item(session: CouncilSession, title: str, reporter: Member | None = None,
                    start_seconds: int | None = None) -> AgendaItem:
    if not (title or "").strip():
        raise ArchiveError(_l("An agenda item needs a title."))
    position = db.session.scalar(
        select(db.func.coalesce(db.func.max(AgendaItem.position), 0))
        .where(AgendaItem.session_id == session.id)) + 1
    item = AgendaItem(session_id=session.id, position=position, title=title.strip(),
                      reporter_id=reporter.id if reporter else None,
                      start_seconds=start_seconds)
    db.session.add(item)
    db.session.flush()
    return item


def add_document(session: CouncilSession, filename: str, data: bytes, *, kind: str = "other",
                 title: str = "") -> Document:
    """Store a file of a session (agenda, minutes, decision); its text becomes searchable."""
    _check(kind, DOCUMENT_KINDS, _l("Unknown kind of document."))
    if not data:
        raise ArchiveError(_l("The file is empty."))
    relative, safe = storage.save(current_tenant.slug, filename, data)
    document = Document(session_id=session.id, kind=kind, title=title.strip() or safe,
                        filename=safe, storage_path=relative, size=len(data),
                        content_type=storage.content_type(safe),
                        text=storage.extract_text(safe, data))
    db.session.add(document)
    db.session.flush()
    return document


def record_attendance(session: CouncilSession, member: Member, status: str) -> Attendance:
    _check(status, ("present", "absent", "excused"), _l("Unknown attendance status."))
    row = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.member_id == member.id))
    if row is None:
        row = Attendance(session_id=session.id, member_id=member.id)
        db.session.add(row)
    row.status = status
    db.session.flush()
    return row


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
