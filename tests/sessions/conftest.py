"""Archive fixtures: a small council archive for Poti and for Abasha, built through services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from portal.blueprints.sessions.council import attendance, services
from portal.blueprints.sessions.models import Body, Member, Recording
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db
from portal.tenancy import tenant_context


@dataclass
class Archive:
    tenant: object
    body: Body
    committee: Body
    member: Member
    session: object
    old_session: object
    recording: Recording
    lone: Recording


def build_archive(tenant, word: str) -> Archive:
    """Two sessions (2025 and 2024), a matched recording with a transcript, a lone recording."""
    with tenant_context(tenant):
        body = Body(slug="sakrebulo", name_ka="საკრებულო", name_en="Sakrebulo", kind="council")
        committee = Body(slug="finance", name_ka="ფინანსური კომისია", name_en="Finance")
        member = Member(slug="nino", name_ka="ნინო ბერიძე", speaker_label="ნინო ბერიძე")
        db.session.add_all([body, committee, member])
        db.session.flush()
        session = services.create_session(
            body, f"საკრებულოს სხდომა {word}", datetime(2025, 3, 14, 8, tzinfo=UTC),
            status="held", agenda=[("ბიუჯეტის ცვლილებები", member), ("სანაპირო ზოლი", None)])
        old = services.create_session(
            committee, "კომისიის სხდომა", datetime(2024, 6, 1, 8, tzinfo=UTC), status="held",
            agenda=[("ბიუჯეტის პროექტი", None)])
        recording = Recording(source="youtube", external_id=f"vid{word}", url="https://www.youtube.com/watch?v=x",
                              title="სხდომის ჩანაწერი", session_id=session.id,
                              published_at=datetime(2025, 3, 14, 8, tzinfo=UTC))
        lone = Recording(source="facebook", external_id=f"fb{word}",
                         url="https://www.facebook.com/x/videos/1/", title="ცალკე ვიდეო",
                         published_at=datetime(2023, 5, 5, 8, tzinfo=UTC))
        db.session.add_all([recording, lone])
        db.session.flush()
        recordings.replace_transcript(recording, [
            Cue(10, 15, "ვხსნით საკრებულოს სხდომას", "ნინო ბერიძე"),
            Cue(190, 200, f"წყალარინების სამუშაოები {word} უბანში დაიწყება", "ნინო ბერიძე"),
        ])
        recordings.replace_transcript(lone, [Cue(5, 9, "ტყის აღდგენის პროექტი")])
        attendance.record_attendance(session, member, "present")
        return Archive(tenant, body, committee, member, session, old, recording, lone)


@pytest.fixture(autouse=True)
def _app_context(ctx):
    """These tests mix direct service calls with requests, written against one application
    context held for the whole test; the rest of the suite gives each request its own."""
    yield


@pytest.fixture
def archives(poti, abasha):
    return {"poti": build_archive(poti, "მალთაყვა"), "abasha": build_archive(abasha, "მარანი")}
