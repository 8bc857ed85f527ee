"""Attendance at a held session: who should be on the roll (the members seated in the body
that day), and recording who was present, absent or excused. Like ``services``: flush, never
commit.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal.blueprints.sessions.council.services import ArchiveError, as_utc, check_choice
from portal.blueprints.sessions.models import Attendance, CouncilSession, Member, Membership
from portal.extensions import db
from portal.tenancy import current_tenant

ATTENDANCE_STATUSES = ("present", "absent", "excused")


def record_attendance(session: CouncilSession, member: Member, status: str) -> Attendance:
    check_choice(status, ATTENDANCE_STATUSES, _l("Unknown attendance status."))
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
    return as_utc(value).astimezone(ZoneInfo(current_tenant.config.timezone)).date()


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
