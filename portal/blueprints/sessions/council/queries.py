"""Read-side queries of the public pages, feeds and API; list queries eager-load what they show."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from sqlalchemy import extract, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.functions import FunctionElement

from portal.blueprints.sessions.models import (
    AgendaItem,
    Attendance,
    Body,
    CouncilSession,
    Member,
    Membership,
    Recording,
    TranscriptSegment,
)
from portal.extensions import db
from portal.web.pagination import Page, paginate

PER_PAGE = 20


def now() -> datetime:
    return datetime.now(UTC)


def _list_options():
    return (selectinload(CouncilSession.body), selectinload(CouncilSession.recordings))


def upcoming(body_id: int | None = None, limit: int = 50, *,
             with_live: bool = True) -> list[CouncilSession]:
    """Sessions still to come (or begun within 12 hours). ``with_live=False`` leaves out those
    being streamed now: pages show them in their live banner, not a second time as upcoming."""
    stmt = (select(CouncilSession).options(*_list_options())
            .where(CouncilSession.status.in_(("scheduled", "live")),
                   CouncilSession.starts_at >= now() - timedelta(hours=12))
            .order_by(CouncilSession.starts_at).limit(limit))
    if not with_live:
        stmt = stmt.where(~CouncilSession.recordings.any(Recording.live_status == "live"))
    if body_id:
        stmt = stmt.where(CouncilSession.body_id == body_id)
    return list(db.session.scalars(stmt))


def past_page(page: int, body_id: int | None = None) -> Page:
    """One page of past (held or cancelled, or already begun) sessions, newest first."""
    stmt = (select(CouncilSession).options(*_list_options())
            .where(or_(CouncilSession.status.in_(("held", "cancelled")),
                       CouncilSession.starts_at < now() - timedelta(hours=12)))
            .order_by(CouncilSession.starts_at.desc()))
    if body_id:
        stmt = stmt.where(CouncilSession.body_id == body_id)
    return paginate(stmt, page, PER_PAGE, count=False)


def live_recordings() -> list[Recording]:
    return list(db.session.scalars(
        select(Recording).options(selectinload(Recording.session))
        .where(Recording.live_status == "live").order_by(Recording.published_at.desc())))


def session_detail(session_id: int) -> CouncilSession | None:
    return db.session.scalar(
        select(CouncilSession).where(CouncilSession.id == session_id).options(
            selectinload(CouncilSession.body),
            selectinload(CouncilSession.agenda_items).selectinload(AgendaItem.reporter),
            selectinload(CouncilSession.documents),
            selectinload(CouncilSession.recordings),
            selectinload(CouncilSession.attendance).selectinload(Attendance.member),
        ))


def transcript(recording_id: int) -> list[TranscriptSegment]:
    return list(db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.recording_id == recording_id)
        .order_by(TranscriptSegment.start_seconds)))


def bodies() -> list[Body]:
    return list(db.session.scalars(select(Body).order_by(Body.position, Body.name_ka)))


def body_by_slug(slug: str) -> Body | None:
    return db.session.scalar(select(Body).where(Body.slug == slug))


def members() -> list[Member]:
    return list(db.session.scalars(
        select(Member).options(selectinload(Member.memberships).selectinload(Membership.body))
        .order_by(Member.name_ka)))


def member_by_slug(slug: str) -> Member | None:
    return db.session.scalar(
        select(Member).where(Member.slug == slug)
        .options(selectinload(Member.memberships).selectinload(Membership.body)))


def member_activity(member: Member) -> dict:
    """Attendance, reported agenda items and sessions where transcripts name the member."""
    attendance = list(db.session.scalars(
        select(Attendance).where(Attendance.member_id == member.id)
        .options(selectinload(Attendance.session).selectinload(CouncilSession.body))))
    reported = list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.reporter_id == member.id)
        .options(selectinload(AgendaItem.session)).order_by(AgendaItem.id.desc())))
    labels = [v for v in {member.speaker_label, member.name_ka, member.name_en} if v]
    spoke = list(db.session.scalars(
        select(CouncilSession).options(selectinload(CouncilSession.body))
        .where(CouncilSession.id.in_(
            select(Recording.session_id).join(
                TranscriptSegment, TranscriptSegment.recording_id == Recording.id)
            .where(TranscriptSegment.speaker.in_(labels))))
        .order_by(CouncilSession.starts_at.desc())))
    attendance.sort(key=lambda a: a.session.starts_at, reverse=True)
    present = sum(1 for a in attendance if a.status == "present")
    return {"attendance": attendance, "reported": reported, "spoke": spoke,
            "present": present}


class _year_start(FunctionElement):
    """The first instant of the year of a timestamp, in the database's own terms."""

    inherit_cache = True


@compiles(_year_start)
def _year_start_default(element, compiler, **kw):
    return f"date_trunc('year', {compiler.process(element.clauses, **kw)})"


@compiles(_year_start, "sqlite")
def _year_start_sqlite(element, compiler, **kw):
    return f"strftime('%Y-01-01', {compiler.process(element.clauses, **kw)})"


def years() -> list[int]:
    """The years that have sessions, newest first, for the search form.

    A skip scan: the latest session, then the latest one before its year began, and so on —
    one probe of the (tenant_id, starts_at) index per year, however many sessions a year has
    (a DISTINCT over every session's year cost 1.7 ms on 5,000 sessions).
    """
    return [int(y) for y in db.session.execute(_years_statement()).scalars()]


@functools.cache
def _years_statement():
    later = aliased(CouncilSession)
    latest = select(func.max(CouncilSession.starts_at).label("at")).cte("years", recursive=True)
    before = (select(func.max(later.starts_at))
              .where(later.starts_at < _year_start(latest.c.at)).scalar_subquery())
    latest = latest.union_all(select(before).where(latest.c.at.is_not(None)))
    return select(extract("year", latest.c.at)).where(latest.c.at.is_not(None))


def count_sessions() -> int:
    return db.session.scalar(select(func.count(CouncilSession.id)))
