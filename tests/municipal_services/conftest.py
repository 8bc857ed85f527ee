"""Municipal services' fixtures: a department open every day and a service of each mode in
Poti and in Abasha, the operators and editors, the outbox read back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.blueprints.municipal_services.models import ServiceRequest, Slot
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.municipal_services.factories import make_department, make_service
from tests.staff_fixtures import signed_in

FIELDS = [("text", "საკადასტრო კოდი", "Cadastral code", "", True),
          ("number", "ფართი", "Floor area", "", False),
          ("choice", "დანიშნულება", "Use", "საცხოვრებელი | Residential\nკომერციული | Commercial", True),
          ("file", "პროექტი", "Design", "", True)]


@dataclass
class World:
    department_id: int
    application_id: int
    appointment_id: int


def make_world(app, tenant, capacity: int = 2) -> World:
    department = make_department(app, tenant, slot_capacity=capacity)
    return World(department,
                 make_service(app, tenant, department, fields=FIELDS),
                 make_service(app, tenant, department, mode="appointment", title_ka="კონსულტაცია",
                              title_en="Consultation", fee_tetri=0, delivery_days=0))


@pytest.fixture
def poti_world(app, poti) -> World:
    return make_world(app, poti)


@pytest.fixture
def abasha_world(app, abasha) -> World:
    return make_world(app, abasha)


def _client(app, user, lang="en"):
    client = app.test_client()
    signed_in(client, user)
    client.set_cookie("lang", lang)
    return client


@pytest.fixture
def operator(app, staff, poti):
    return _client(app, staff(poti, ["operator"], email="operator@poti.example.org"))


@pytest.fixture
def editor(app, staff, poti):
    return _client(app, staff(poti, ["services_editor"], email="editor@poti.example.org"))


@pytest.fixture
def abasha_editor(app, staff, abasha):
    return _client(app, staff(abasha, ["services_editor"], email="editor@abasha.example.org"))


def outbox(app, tenant) -> list[OutboxMessage]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def service_requests(app, tenant) -> list[ServiceRequest]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)))


def slots(app, tenant) -> list[Slot]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(Slot).order_by(Slot.id)))
