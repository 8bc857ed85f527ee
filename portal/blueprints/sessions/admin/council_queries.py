"""Read-side queries of the clerk's council pages; each list runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.blueprints.sessions.models import (
    AgendaItem,
    Body,
    CouncilSession,
    Document,
    Member,
    Membership,
    Recording,
)
from portal.extensions import db
from portal.i18n import zone
from portal.web.pagination import Page, paginate

PER_PAGE = 25


@dataclass(frozen=True)
class SessionRow:
    session: CouncilSession
    agenda: int
    documents: int
    recordings: int


def _count(model):
    return (select(func.count(model.id)).where(model.session_id == CouncilSession.id)
            .correlate(CouncilSession).scalar_subquery())


def session_page(*, body_id: int = 0, status: str = "", year: int = 0,
                 page: int = 1) -> Page:
    """One page of ``SessionRow``s, latest start first (so upcoming ones lead), counted."""
    where = []
    if body_id:
        where.append(CouncilSession.body_id == body_id)
    if status:
        where.append(CouncilSession.status == status)
    if year:
        # The municipality's calendar year, as a range the starts_at index can use.
        first = datetime(year, 1, 1, tzinfo=zone()).astimezone(UTC)
        last = datetime(year + 1, 1, 1, tzinfo=zone()).astimezone(UTC)
        where += [CouncilSession.starts_at >= first, CouncilSession.starts_at < last]
    found = paginate(
        select(CouncilSession, _count(AgendaItem), _count(Document), _count(Recording))
        .where(*where).options(joinedload(CouncilSession.body))
        .order_by(CouncilSession.starts_at.desc(), CouncilSession.id.desc()),
        page, PER_PAGE, count_statement=select(func.count(CouncilSession.id)).where(*where))
    return replace(found, items=[SessionRow(*row) for row in found.items])


def session_for_edit(session_id: int) -> CouncilSession:
    """A session with what its edit page shows (agenda with reporters, documents, attendance),
    or 404 for an id that is not this municipality's."""
    found = db.session.scalar(
        select(CouncilSession).where(CouncilSession.id == session_id).options(
            joinedload(CouncilSession.body),
            selectinload(CouncilSession.agenda_items).joinedload(AgendaItem.reporter),
            selectinload(CouncilSession.documents),
            selectinload(CouncilSession.recordings),
            selectinload(CouncilSession.attendance)))
    if found is None:
        abort(404)
    return found


def bodies() -> list[Body]:
    return list(db.session.scalars(select(Body).order_by(Body.position, Body.name_ka, Body.id)))


def body_counts() -> dict[int, tuple[int, int]]:
    """Sessions and current seats of each body, in two queries."""
    sessions = dict(db.session.execute(
        select(CouncilSession.body_id, func.count(CouncilSession.id))
        .group_by(CouncilSession.body_id)).all())
    today = datetime.now(zone()).date()
    seats = dict(db.session.execute(
        select(Membership.body_id, func.count(Membership.id))
        .where(Membership.starts_on <= today,
               (Membership.ends_on.is_(None)) | (Membership.ends_on >= today))
        .group_by(Membership.body_id)).all())
    return {body_id: (sessions.get(body_id, 0), seats.get(body_id, 0))
            for body_id in set(sessions) | set(seats)}


def members() -> list[Member]:
    return list(db.session.scalars(
        select(Member).options(selectinload(Member.memberships).joinedload(Membership.body))
        .order_by(Member.name_ka, Member.id)))


def member_for_edit(member_id: int) -> Member:
    found = db.session.scalar(
        select(Member).where(Member.id == member_id)
        .options(selectinload(Member.memberships).joinedload(Membership.body)))
    if found is None:
        abort(404)
    return found


def membership(membership_id: int) -> Membership:
    found = db.session.scalar(select(Membership).where(Membership.id == membership_id)
                              .options(joinedload(Membership.member), joinedload(Membership.body)))
    if found is None:
        abort(404)
    return found


def upcoming_count(days: int = 14) -> int:
    now = datetime.now(UTC)
    return db.session.scalar(select(func.count(CouncilSession.id)).where(
        CouncilSession.status.in_(("scheduled", "live")),
        CouncilSession.starts_at >= now - timedelta(hours=12),
        CouncilSession.starts_at <= now + timedelta(days=days)))
