"""Fixtures of the clerk's admin tests: a small council per municipality, committed through
the services, and clients signed in as a clerk. Each request gets its own app context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from portal.blueprints.sessions.council import composition, services
from portal.blueprints.sessions.models import Body, Member, Recording
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.staff_fixtures import signed_in


@pytest.fixture(autouse=True)
def _app_context():
    """Replaces tests/sessions' ambient application context: nothing is pushed here."""
    yield


@dataclass(frozen=True)
class Council:
    """Ids of one municipality's council: the Sakrebulo, a committee, two members seated in
    the Sakrebulo, a held session with two agenda items and a matched recording."""

    tenant: object
    body_id: int
    committee_id: int
    member_id: int
    other_id: int
    session_id: int
    item_ids: tuple[int, ...]
    recording_id: int


def build_council(app, tenant, word: str) -> Council:
    with app.app_context(), tenant_context(tenant):
        body = Body(slug="sakrebulo", name_ka="საკრებულო", name_en="Sakrebulo", kind="council")
        committee = Body(slug="finance", name_ka="ფინანსური კომისია", name_en="Finance")
        nino = Member(slug="nino", name_ka=f"ნინო {word}", name_en="Nino")
        levan = Member(slug="levan", name_ka=f"ლევან {word}", name_en="Levan")
        db.session.add_all([body, committee, nino, levan])
        db.session.flush()
        for member in (nino, levan):
            composition.add_membership(member, body, starts_on=date(2021, 11, 1))
        session = services.create_session(
            body, f"სხდომა {word}", datetime(2025, 3, 14, 8, tzinfo=UTC), status="held",
            agenda=[("ბიუჯეტი", nino), ("სანაპირო", None)])
        recording = Recording(source="youtube", external_id=f"v-{word}", title="ჩანაწერი",
                              session_id=session.id, is_match_confirmed=True,
                              match_confidence=1.0,
                              published_at=datetime(2025, 3, 14, 8, tzinfo=UTC))
        db.session.add(recording)
        db.session.flush()
        council = Council(tenant, body.id, committee.id, nino.id, levan.id, session.id,
                          tuple(i.id for i in services._agenda(session.id)), recording.id)
        db.session.commit()
        return council


@pytest.fixture
def councils(app, poti, abasha):
    return {"poti": build_council(app, poti, "ფოთი"), "abasha": build_council(app, abasha, "აბაშა")}


@pytest.fixture
def clerk(app, staff, poti):
    """A client signed in as Poti's clerk."""
    client = app.test_client()
    signed_in(client, staff(poti, ["clerk"]))
    return client
