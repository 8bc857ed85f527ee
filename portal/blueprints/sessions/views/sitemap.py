"""The archive's public pages for the municipality's sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.sessions.models import Body, CouncilSession, Member
from portal.extensions import db


def archive_pages():
    yield "sessions.bodies", {}
    yield "sessions.members", {}
    for slug in db.session.scalars(select(Body.slug).order_by(Body.position)):
        yield "sessions.body", {"body_slug": slug}
    for slug in db.session.scalars(select(Member.slug).order_by(Member.name_ka)):
        yield "sessions.member", {"member_slug": slug}
    for session_id in db.session.scalars(
            select(CouncilSession.id).order_by(CouncilSession.starts_at.desc())):
        yield "sessions.show", {"session_id": session_id}
