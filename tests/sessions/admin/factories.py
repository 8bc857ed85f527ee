"""Council objects made in a given municipality and committed, for the clerk's admin tests and
for the URL-map walks (registered as factories in tests/sessions/factories.py). Each returns
the new object's id."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.blueprints.sessions.council import composition, documents, services
from portal.blueprints.sessions.models import CouncilSession, Membership
from portal.extensions import db
from portal.tenancy import tenant_context

_numbers = itertools.count(1)


def _in(app, tenant, make):
    with app.app_context(), tenant_context(tenant):
        made = make()
        db.session.flush()
        ident = made.id
        db.session.commit()
        return ident


def make_body(app, tenant) -> int:
    n = next(_numbers)
    return _in(app, tenant, lambda: composition.save_body(
        None, slug=f"body-{n}", name_ka=f"კომისია {n}", name_en=f"Committee {n}"))


def make_member(app, tenant) -> int:
    n = next(_numbers)
    return _in(app, tenant, lambda: composition.save_member(
        None, slug=f"member-{n}", name_ka=f"წევრი {n}", name_en=f"Member {n}"))


def _session(status="scheduled", agenda=("დღის წესრიგის საკითხი",)):
    n = next(_numbers)
    body = composition.save_body(None, slug=f"sitting-body-{n}", name_ka=f"ორგანო {n}")
    member = composition.save_member(None, slug=f"sitting-member-{n}", name_ka=f"დეპუტატი {n}")
    composition.add_membership(member, body, starts_on=date(2020, 1, 1))
    return services.create_session(body, f"სხდომა {n}", datetime(2025, 3, 14, 8, tzinfo=UTC),
                                   status=status, agenda=[(t, None) for t in agenda])


def make_session(app, tenant, status="scheduled") -> int:
    return _in(app, tenant, lambda: _session(status))


def make_item(app, tenant) -> int:
    return _in(app, tenant, lambda: services.add_agenda_item(_session(agenda=()), "საკითხი"))


def make_document(app, tenant) -> int:
    return _in(app, tenant, lambda: documents.add_document(
        _session(), "ოქმი.txt", "სხდომის ოქმი".encode(), kind="minutes"))


def make_membership(app, tenant) -> int:
    def seat():
        n = next(_numbers)
        body = composition.save_body(None, slug=f"seat-body-{n}", name_ka=f"ორგანო {n}")
        member = composition.save_member(None, slug=f"seat-member-{n}", name_ka=f"წევრი {n}")
        return composition.add_membership(member, body, starts_on=date(2024, 1, 1))
    return _in(app, tenant, seat)


def seated_member(app, tenant, session_id: int) -> int:
    """The member the session's body seats (``make_session`` seats exactly one)."""
    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(Membership.member_id).join(
            CouncilSession, CouncilSession.body_id == Membership.body_id)
            .where(CouncilSession.id == session_id))
