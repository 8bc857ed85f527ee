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


def test_demo_members_are_in_office_today(poti, abasha):
    from datetime import date

    from portal.blueprints.sessions.models import Member, Membership

    load_demo_archive()
    today = date.today()
    for tenant in (poti, abasha):
        with tenant_context(tenant):
            members = db.session.scalars(select(Member)).all()
            assert members
            for m in members:
                assert m.term_start <= today < m.term_end, (m.slug, m.term_start, m.term_end)
            seats = db.session.scalars(select(Membership)).all()
            assert all(s.ends_on is None or s.ends_on > today for s in seats)


def test_demo_has_published_activity_reports_in_both_municipalities(poti, abasha):
    from portal.blueprints.sessions.models import MemberReport

    load_demo_archive()
    load_demo_archive()  # once only
    for tenant, expected in ((poti, 3), (abasha, 2)):
        with tenant_context(tenant):
            found = db.session.scalars(select(MemberReport)).all()
            assert len(found) == expected
            assert all(r.year == 2025 and r.is_published and "<p>" in r.body for r in found)
