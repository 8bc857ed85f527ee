"""Recordings after the sync found them: the session a recording belongs to (confirmed or
corrected by the clerk) and its transcript (captions from the sync, a WebVTT/SRT file or line
corrections from the clerk). Like ``services``: flush, never commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.models import CouncilSession, Recording, TranscriptSegment
from portal.blueprints.sessions.services import ArchiveError
from portal.blueprints.sessions.transcripts import TranscriptFormatError, parse
from portal.extensions import db


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
