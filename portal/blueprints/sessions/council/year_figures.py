"""A member's year in the archive: seats held, the held sessions of their bodies and their
attendance at each, the agenda items they reported; and the same attendance figures for every
member of a year in a constant number of queries (the public list of reports).

A year is the municipality's calendar year: a sitting belongs to the year of its local date
(a session at 23:30 on 31 December in Tbilisi, already 1 January in UTC+5, is still December's).
The archive records attendance, not votes: nothing here speaks of votes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    Member,
    MemberReport,
    Membership,
)
from portal.extensions import db
from portal.tenancy import current_tenant

#: The first year a report may be written for, and how far ahead of today.
FIRST_YEAR = 2000
YEARS_AHEAD = 1


def _zone() -> ZoneInfo:
    return ZoneInfo(current_tenant.config.timezone)


def today() -> date:
    """Today in the municipality."""
    return datetime.now(_zone()).date()


def year_is_valid(year: int) -> bool:
    return FIRST_YEAR <= year <= today().year + YEARS_AHEAD


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first instant of ``year`` and of the next one in the municipality, in UTC."""
    zone = _zone()
    return (datetime(year, 1, 1, tzinfo=zone).astimezone(UTC),
            datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC))


def local_day(value: datetime) -> date:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone()).date()


def seats_in(memberships, year: int) -> list[Membership]:
    """The seats held at some point of ``year``, earliest first."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return sorted((s for s in memberships
                   if s.starts_on <= last and (s.ends_on is None or s.ends_on >= first)),
                  key=lambda s: (s.starts_on, s.body_id))


def _seated(memberships, body_id: int, day: date) -> bool:
    return any(s.body_id == body_id and s.starts_on <= day
               and (s.ends_on is None or s.ends_on >= day) for s in memberships)


@dataclass
class Figures:
    """Attendance at the held sessions of a member's bodies in a year."""

    held: int = 0
    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def unrecorded(self) -> int:
        return self.held - self.recorded

    @property
    def rate(self) -> float | None:
        """Present at this share of the sittings whose roll was recorded; None without any."""
        return self.present / self.recorded if self.recorded else None

    def add(self, status: str | None) -> None:
        self.held += 1
        if status in ("present", "absent", "excused"):
            setattr(self, status, getattr(self, status) + 1)


@dataclass
class Sitting:
    session: CouncilSession
    #: "present", "absent", "excused", or None when the roll was not recorded.
    status: str | None


@dataclass
class MemberYear:
    member: Member
    year: int
    seats: list[Membership]
    sittings: list[Sitting]
    figures: Figures
    reported: list[AgendaItem] = field(default_factory=list)


def _held_in(year: int):
    start, end = year_bounds(year)
    return select(CouncilSession).where(CouncilSession.status == "held",
                                        CouncilSession.starts_at >= start,
                                        CouncilSession.starts_at < end)


def _sittings(memberships, sessions, records: dict[int, str]) -> list[Sitting]:
    """The sessions a member belongs on (seated in the body that day, or on the roll anyway)."""
    return [Sitting(s, records.get(s.id)) for s in sessions
            if s.id in records or _seated(memberships, s.body_id, local_day(s.starts_at))]


def _figures(sittings: list[Sitting]) -> Figures:
    figures = Figures()
    for sitting in sittings:
        figures.add(sitting.status)
    return figures


def member_year(member: Member, year: int) -> MemberYear:
    """``member``'s ``year`` (memberships loaded): four queries however long the year was."""
    bodies = {s.body_id for s in member.memberships}
    recorded_here = select(Attendance.session_id).where(Attendance.member_id == member.id)
    sessions = list(db.session.scalars(
        _held_in(year).where(or_(CouncilSession.body_id.in_(bodies),
                                 CouncilSession.id.in_(recorded_here)))
        .options(selectinload(CouncilSession.body)).order_by(CouncilSession.starts_at)))
    records = dict(db.session.execute(
        select(Attendance.session_id, Attendance.status).where(
            Attendance.member_id == member.id,
            Attendance.session_id.in_(_held_in(year).with_only_columns(CouncilSession.id)))).all())
    sittings = _sittings(member.memberships, sessions, records)
    start, end = year_bounds(year)
    reported = list(db.session.scalars(
        select(AgendaItem).join(AgendaItem.session)
        .where(AgendaItem.reporter_id == member.id, CouncilSession.starts_at >= start,
               CouncilSession.starts_at < end)
        .options(selectinload(AgendaItem.session))
        .order_by(CouncilSession.starts_at, AgendaItem.position)))
    return MemberYear(member, year, seats_in(member.memberships, year), sittings,
                      _figures(sittings), reported)


@dataclass
class Row:
    member: Member
    seats: list[Membership]
    figures: Figures
    report: MemberReport | None


def year_table(year: int, *, published_only: bool = True) -> list[Row]:
    """Every member seated in ``year`` (or with a report for it), with their attendance figures
    and report: five queries, whatever the number of members, sessions and reports."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    reports_q = select(MemberReport).where(MemberReport.year == year)
    if published_only:
        reports_q = reports_q.where(MemberReport.published_at.is_not(None))
    reports = {r.member_id: r for r in db.session.scalars(reports_q)}
    seated = select(Membership.member_id).where(
        Membership.starts_on <= last, or_(Membership.ends_on.is_(None), Membership.ends_on >= first))
    wanted = Member.id.in_(seated)
    if reports:
        wanted = or_(wanted, Member.id.in_(list(reports)))
    members = list(db.session.scalars(
        select(Member).where(wanted)
        .options(selectinload(Member.memberships).selectinload(Membership.body))
        .order_by(Member.name_ka, Member.id)))
    sessions = list(db.session.scalars(_held_in(year).order_by(CouncilSession.starts_at)))
    records: dict[int, dict[int, str]] = defaultdict(dict)
    if sessions:
        held_ids = _held_in(year).with_only_columns(CouncilSession.id)
        for session_id, member_id, status in db.session.execute(
                select(Attendance.session_id, Attendance.member_id, Attendance.status)
                .where(Attendance.session_id.in_(held_ids))):
            records[member_id][session_id] = status
    return [Row(m, seats_in(m.memberships, year),
                _figures(_sittings(m.memberships, sessions, records.get(m.id, {}))),
                reports.get(m.id)) for m in members]


def member_years(member: Member, session_years: list[int]) -> list[tuple[int, MemberReport | None]]:
    """The years to link from a member's page, newest first, each with its published report:
    years with a seat and with sessions in the archive, and any year with a published report."""
    reports = {r.year: r for r in db.session.scalars(
        select(MemberReport).where(MemberReport.member_id == member.id,
                                   MemberReport.published_at.is_not(None)))}
    now = today().year
    years = set(reports)
    for year in session_years:
        if year <= now and seats_in(member.memberships, year):
            years.add(year)
    return [(y, reports.get(y)) for y in sorted(years, reverse=True)]


def report_for(member_id: int, year: int, *, published_only: bool = True) -> MemberReport | None:
    stmt = select(MemberReport).where(and_(MemberReport.member_id == member_id,
                                           MemberReport.year == year))
    if published_only:
        stmt = stmt.where(MemberReport.published_at.is_not(None))
    return db.session.scalar(stmt)


def report_years() -> list[int]:
    """Years that have a published report, newest first (the list page's other years)."""
    return list(db.session.scalars(
        select(MemberReport.year).where(MemberReport.published_at.is_not(None))
        .distinct().order_by(MemberReport.year.desc())))
