"""Fixtures of the clerk's recordings pages: both archives built through the services, a
signed-in Poti clerk; each request gets its own application context."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.tenancy import tenant_context
from tests.sessions.conftest import build_archive
from tests.staff_fixtures import signed_in


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides tests/sessions' ambient context: here every request has its own."""
    yield


@dataclass(frozen=True)
class Ids:
    session: int
    old_session: int
    body: int
    committee: int
    recording: int
    lone: int
    segments: tuple[int, ...]


def _ids(tenant, word) -> Ids:
    from portal.blueprints.sessions.models import TranscriptSegment

    archive = build_archive(tenant, word)
    with tenant_context(tenant):
        archive.recording.match_confidence = 0.85
        db.session.flush()
        segments = db.session.scalars(
            select(TranscriptSegment.id).where(
                TranscriptSegment.recording_id == archive.recording.id)
            .order_by(TranscriptSegment.start_seconds)).all()
    return Ids(archive.session.id, archive.old_session.id, archive.body.id, archive.committee.id,
               archive.recording.id, archive.lone.id, tuple(segments))


@pytest.fixture
def data(app, poti, abasha) -> dict[str, Ids]:
    """Poti's and Abasha's archives (tests/sessions/conftest.py): a recording suggested for the
    2025 session at 85 %, with two transcript lines, and a lone recording with one line."""
    with app.app_context():
        ids = {"poti": _ids(poti, "მალთაყვა"), "abasha": _ids(abasha, "მარანი")}
        db.session.commit()
    return ids


@pytest.fixture
def clerk(staff, poti):
    return staff(poti, ["clerk"])


@pytest.fixture
def as_clerk(app, clerk):
    client = app.test_client()
    signed_in(client, clerk)
    return client


def read(app, tenant, fn):
    """Run ``fn()`` in a fresh app context inside ``tenant`` and return its result."""
    with app.app_context(), tenant_context(tenant):
        return fn()
