"""Recordings after the sync found them: the session a recording belongs to (confirmed or
corrected by the clerk) and its transcript (captions from the sync, a WebVTT/SRT file or line
corrections from the clerk). Like ``services``: flush, never commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.council.composition import speaker_labels
from portal.blueprints.sessions.council.services import ArchiveError
from portal.blueprints.sessions.models import CouncilSession, Recording, TranscriptSegment
from portal.blueprints.sessions.sources.transcripts import TranscriptFormatError, label_speakers, parse
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
        raise ArchiveError(_l("A transcript line cannot be empty."), "text")
    segment.text = " ".join(text.split())
    if speaker is not None:
        segment.speaker = speaker.strip()
    segment.origin = "corrected"
    db.session.flush()
    return segment


def replace_transcript(recording: Recording, cues, *, language: str = "ka",
                       origin: str = "upload") -> int:
    """Replace a recording's transcript with ``cues`` (from a file or from captions).

    A "Name: text" line of a recording matched to a session is Name's when Name is a member
    seated in the session's body (``composition.speaker_labels``); otherwise it stays whole."""
    session = db.session.scalar(select(CouncilSession).where(
        CouncilSession.id == recording.session_id)) if recording.session_id else None
    if session is not None:
        cues = label_speakers(list(cues), speaker_labels(session))
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


def upload_transcript(recording: Recording, content: bytes, language: str = "ka",
                      filename: str = "") -> int:
    """A WebVTT or SRT file from staff replaces the recording's transcript. A ``.vtt`` file
    must be WebVTT; the reason a file is refused (with its line) goes to the form's field."""
    kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else None
    try:
        cues = parse(content, kind if kind in ("vtt", "srt") else None)
    except TranscriptFormatError as exc:
        raise ArchiveError(refusal(exc), "file") from exc
    return replace_transcript(recording, cues, language=language, origin="upload")


def refusal(error: TranscriptFormatError):
    """The clerk's words for why a subtitle file was refused, with its line."""
    line, limit = error.line or 1, error.limit
    return {
        "encoding": lambda: _l("The file is not UTF-8 text: save it as UTF-8 and upload it "
                               "again."),
        "header": lambda: _l("A WebVTT file must begin with the line WEBVTT."),
        "timing": lambda: _l("Line %(line)d: the cue timing is not valid (it should read like "
                             "00:01:02.500 --> 00:01:05.000).", line=line),
        "srt_timing": lambda: _l("Line %(line)d: the cue timing is not valid (it should read "
                                 "like 00:01:02,500 --> 00:01:05,000).", line=line),
        "order": lambda: _l("Line %(line)d: the cue ends before it starts.", line=line),
        "limit": lambda: _l("The file has more than %(limit)d cues (line %(line)d); a "
                            "transcript may have at most that many.", limit=limit, line=line),
    }.get(error.reason, lambda: _l("The file holds no subtitle lines."))()
