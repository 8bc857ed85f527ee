"""Machine transcripts: speech-to-text for recordings that have no captions.

The job (``tasks.transcribe_recordings``, queued after each sync) takes a few
``candidates``; for each, ``transcribe_recording`` claims it (a ``Transcription`` row, one
per recording: a second worker finds the claim and leaves the recording alone), commits,
downloads and transcribes with no transaction open, then writes every line at once
(``recordings.replace_transcript``, origin "machine") with the cost and the time, or records
the failure and writes nothing. Lines stay "machine" (shown as possibly wrong) until the clerk
corrects them one by one ("corrected") or confirms the whole transcript ("confirmed").
Like ``services``: the verbs flush; only ``transcribe_recording`` commits, as a job does.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.council.services import ArchiveError
from portal.blueprints.sessions.models import Recording, Transcription, TranscriptSegment
from portal.blueprints.sessions.recordings.recordings import replace_transcript
from portal.blueprints.sessions.sources.speech import (
    SpeechError,
    Transcriber,
    configured_transcriber,
    transcribe_file,
)
from portal.blueprints.sessions.sources.speech import audio as speech_audio
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db

log = logging.getLogger(__name__)

#: A claim older than this is taken to be a dead worker's and may be taken again.
LEASE = timedelta(hours=3)
#: A run that failed on the service's side (5xx, unreachable) is tried again after this.
RETRY_AFTER = timedelta(hours=1)
DEFAULTS = {
    "ARCHIVE_SPEECH_BACKEND": "",
    "ARCHIVE_SPEECH_PRICE_PER_MINUTE": 0.0,
    "ARCHIVE_SPEECH_CURRENCY": "USD",
    "ARCHIVE_SPEECH_PER_RUN": 3,
    "ARCHIVE_SPEECH_MAX_SECONDS": 6 * 3600,
}


def setting(name: str):
    return current_app.config.get(name, DEFAULTS.get(name))


def transcriber() -> Transcriber | None:
    return configured_transcriber(current_app.config)


def candidates(limit: int | None = None) -> list[int]:
    """Recordings of this municipality without a transcript that nothing has claimed (or
    whose claim died, or whose last try failed on the service's side an hour ago), newest
    first; not live or upcoming, and not longer than ``ARCHIVE_SPEECH_MAX_SECONDS``."""
    now = datetime.now(UTC)
    retake = (Transcription.status == "running") & (Transcription.started_at < now - LEASE) | (
        (Transcription.status == "failed") & (Transcription.failure == "server")
        & (Transcription.finished_at < now - RETRY_AFTER))
    stmt = (select(Recording.id)
            .outerjoin(Transcription, Transcription.recording_id == Recording.id)
            .where(Recording.has_transcript.is_(False), Recording.url != "",
                   Recording.source.in_(("youtube", "facebook")),
                   Recording.live_status.not_in(("live", "upcoming")),
                   (Recording.duration_seconds.is_(None))
                   | (Recording.duration_seconds <= setting("ARCHIVE_SPEECH_MAX_SECONDS")),
                   Transcription.id.is_(None) | retake)
            .order_by(Recording.published_at.desc().nulls_last(), Recording.id.desc())
            .limit(limit or setting("ARCHIVE_SPEECH_PER_RUN")))
    return list(db.session.scalars(stmt))


def claim(recording_id: int, backend: str) -> int | None:
    """Claim the recording for one worker: the new (or retaken) run's id, or None when it
    is another worker's, done, or has a transcript already."""
    recording = db.session.get(Recording, recording_id)
    if recording is None or recording.has_transcript:
        return None
    row = db.session.scalar(select(Transcription).where(
        Transcription.recording_id == recording_id))
    now = datetime.now(UTC)
    if row is None:
        try:
            with db.session.begin_nested():
                row = Transcription(recording_id=recording_id, backend=backend,
                                    status="running", started_at=now)
                db.session.add(row)
        except IntegrityError:  # another worker inserted its claim first
            return None
        return row.id
    # Retake a dead claim or a failed try, only if nobody else changed it meanwhile.
    if row.id not in _retakable({row.id}):
        return None
    taken = db.session.execute(
        update(Transcription)
        .where(Transcription.id == row.id, Transcription.status == row.status,
               Transcription.started_at == row.started_at)
        .values(status="running", started_at=now, backend=backend, error="", failure="",
                http_status=None, finished_at=None)
        .execution_options(synchronize_session=False))
    db.session.expire(row)
    return row.id if taken.rowcount == 1 else None


def _retakable(ids: set[int]) -> set[int]:
    now = datetime.now(UTC)
    return set(db.session.scalars(select(Transcription.id).where(
        Transcription.id.in_(ids),
        ((Transcription.status == "running") & (Transcription.started_at < now - LEASE))
        | ((Transcription.status == "failed") & (Transcription.failure == "server")
           & (Transcription.finished_at < now - RETRY_AFTER)))))


def default_audio(url: str, workdir, ydl_factory=None, resolver=None):
    """The recording's audio through yt-dlp, as 16 kHz mono WAV (ffmpeg converts)."""
    downloaded = speech_audio.download_audio(url, workdir, ydl_factory, resolver)
    return speech_audio.to_speech_wav(downloaded, workdir)


def transcribe_recording(recording_id: int, engine: Transcriber, clients,
                         commit: Callable[[], None] | None = None) -> str:
    """Claim, transcribe and store one recording (the job's unit); returns its status."""
    commit = commit or db.session.commit
    run_id = claim(recording_id, engine.name)
    if run_id is None:
        db.session.rollback()
        return "claimed"
    url = db.session.get(Recording, recording_id).url
    commit()  # the claim is visible to other workers; no transaction while we work
    fetch = clients.audio_fetch or partial(default_audio, ydl_factory=clients.ytdlp_factory,
                                           resolver=clients.resolver)
    try:
        with tempfile.TemporaryDirectory(prefix="archive-speech-") as workdir:
            wav = fetch(url, workdir)
            result = transcribe_file(engine, wav, workdir, language="ka")
    except Exception as exc:  # noqa: BLE001 - any failure is the run's, recorded for the clerk
        db.session.rollback()
        _fail(run_id, exc)
        commit()
        return "failed"
    status = store(db.session.get(Transcription, run_id),
                   db.session.get(Recording, recording_id), result)
    commit()
    return status


def store(run: Transcription, recording: Recording, result) -> str:
    """Write a finished transcription: its lines marked "machine" (through the ORM, so the
    search index takes them in the same flush), its cost and time; "skipped" when captions
    or a clerk's file reached the recording meanwhile (those are kept)."""
    run.finished_at = datetime.now(UTC)
    run.audio_seconds, run.pieces = result.audio_seconds, result.pieces
    run.billed_seconds = result.billed_seconds or result.audio_seconds
    run.elapsed_seconds = result.elapsed_seconds
    run.currency = setting("ARCHIVE_SPEECH_CURRENCY")
    run.cost = round(run.billed_seconds / 60 * float(setting("ARCHIVE_SPEECH_PRICE_PER_MINUTE")),
                     4)
    if recording.has_transcript:
        run.status = "skipped"
    else:
        cues = [Cue(s.start_s, s.end_s, s.text) for s in result.segments]
        run.lines = replace_transcript(recording, cues, language="ka", origin="machine")
        run.status = "done"
    db.session.flush()
    return run.status


def _fail(run_id: int, exc: Exception) -> None:
    run = db.session.get(Transcription, run_id)
    run.status, run.finished_at = "failed", datetime.now(UTC)
    if isinstance(exc, SpeechError):
        run.failure, run.http_status, run.error = exc.reason, exc.status, exc.detail[:2000]
    else:
        log.exception("transcription of recording %s failed", run.recording_id)
        run.failure, run.error = "other", f"{type(exc).__name__}: {exc}"[:2000]
    db.session.flush()


def machine_lines(recording: Recording) -> int:
    return db.session.scalar(select(func.count(TranscriptSegment.id)).where(
        TranscriptSegment.recording_id == recording.id, TranscriptSegment.origin == "machine"))


def confirm(recording: Recording) -> int:
    """The clerk read the machine transcript and confirms it: its lines lose the mark."""
    lines = machine_lines(recording)
    if not lines:
        raise ArchiveError(_l("This recording has no machine transcript to confirm."))
    for seg in db.session.scalars(select(TranscriptSegment).where(
            TranscriptSegment.recording_id == recording.id,
            TranscriptSegment.origin == "machine")):
        seg.origin = "confirmed"  # through the ORM: the search index stays current
    run = transcription_of(recording)
    if run is not None:
        run.confirmed_at = datetime.now(UTC)
    db.session.flush()
    return lines


def transcription_of(recording: Recording) -> Transcription | None:
    return db.session.scalar(select(Transcription).where(
        Transcription.recording_id == recording.id))


def recent(limit: int = 20) -> list[Transcription]:
    """The sync panel's list: the latest runs, newest first, with their recordings."""
    return list(db.session.scalars(
        select(Transcription).options(selectinload(Transcription.recording))
        .order_by(Transcription.started_at.desc(), Transcription.id.desc()).limit(limit)))


def totals() -> dict:
    """Everything machine transcription has cost this municipality, and the time it took."""
    count, cost, billed, elapsed = db.session.execute(select(
        func.count(Transcription.id), func.coalesce(func.sum(Transcription.cost), 0.0),
        func.coalesce(func.sum(Transcription.billed_seconds), 0.0),
        func.coalesce(func.sum(Transcription.elapsed_seconds), 0.0))
        .where(Transcription.status.in_(("done", "skipped")))).one()
    return {"count": count, "cost": cost, "billed_seconds": billed, "elapsed_seconds": elapsed,
            "currency": setting("ARCHIVE_SPEECH_CURRENCY")}
