"""The demo archive loads both municipalities from the recorded fixtures, once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.blueprints.sessions.demo import load_demo_archive
from portal.blueprints.sessions.models import Recording, TranscriptSegment
from portal.extensions import db
from portal.tenancy import tenant_context


def _counts(tenant):
    with tenant_context(tenant):
        return (db.session.scalar(select(func.count(Recording.id))),
                db.session.scalar(select(func.count(TranscriptSegment.id))))


def test_demo_archive_is_complete_and_idempotent(poti, abasha):
    first = load_demo_archive()
    assert "poti: 6 sessions" in first and "abasha: 4 sessions" in first
    counts = (_counts(poti), _counts(abasha))
    assert counts[0][0] == 3 and counts[0][1] > 0 and counts[1][1] > 0
    assert load_demo_archive() == first
    assert (_counts(poti), _counts(abasha)) == counts
