"""Archive objects for the recordings tests and the URL-map walks (registered as factories in
tests/sessions/factories.py): a session, a recording suggested for it and its transcript, made
through the services and committed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

_counter = itertools.count(1)


@dataclass(frozen=True)
class Made:
    session: int
    recording: int
    segment: int


def make_recording(app, tenant) -> Made:
    from portal.blueprints.sessions.council import services
    from portal.blueprints.sessions.models import Body, Recording, TranscriptSegment
    from portal.blueprints.sessions.recordings import recordings
    from portal.blueprints.sessions.sources.transcripts import Cue
    from portal.extensions import db
    from portal.tenancy import tenant_context

    n = next(_counter)
    with app.app_context(), tenant_context(tenant):
        body = Body(slug=f"made-{n}", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        when = datetime(2025, 3, 14, 8, tzinfo=UTC)
        session = services.create_session(body, f"საკრებულოს სხდომა {n}", when, status="held")
        recording = Recording(source="youtube", external_id=f"made-{tenant.slug}-{n}",
                              url="https://www.youtube.com/watch?v=made", title="სხდომის ჩანაწერი",
                              published_at=when, session_id=session.id, match_confidence=0.7)
        db.session.add(recording)
        db.session.flush()
        recordings.replace_transcript(recording, [Cue(1, 4, "ვხსნით სხდომას", "თავმჯდომარე")])
        segment = db.session.scalar(select(TranscriptSegment.id).where(
            TranscriptSegment.recording_id == recording.id))
        made = Made(session.id, recording.id, segment)
        db.session.commit()
    return made

