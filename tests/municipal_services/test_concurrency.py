"""Two people can never take the last place of one slot at the same time: 50 clients, each a
thread with its own database connection (its own session, its own transaction), book the same
time at once; exactly the slot's capacity succeed, the others get the friendly refusal, and
the slot's count equals the appointments made. On PostgreSQL the engine gets a pool of 50, so
all 50 transactions really run side by side; SQLite (one writer at a time) is checked too."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import delete, func, select

from portal.blueprints.municipal_services import calendar, requests
from portal.blueprints.municipal_services.models import (
    Department,
    RequestEvent,
    Service,
    ServiceRequest,
    Slot,
)
from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.municipal_services.factories import EVERY_DAY

CLIENTS = 50
CAPACITY = 3
POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture
def wide_app(app):
    """A second app on the same database whose pool holds every client's connection at once."""
    from portal import create_app
    from portal.config import _engine_options

    with app.app_context():
        url = str(db.engine.url.render_as_string(hide_password=False))
    options = {**_engine_options(url), "pool_size": CLIENTS, "max_overflow": 0}
    wide = create_app({"TESTING": True, "PORTAL_TENANT_CACHE_SECONDS": 3600,
                       "SQLALCHEMY_ENGINE_OPTIONS": options})
    yield wide
    with wide.app_context():
        db.engine.dispose()


@pytest.mark.no_db_rollback
def test_fifty_clients_book_one_slot_and_exactly_the_capacity_succeed(wide_app, poti):
    app = wide_app
    with app.app_context(), tenant_context(poti):
        department = Department(name_ka="მისაღები", name_en="Reception", hours=EVERY_DAY,
                                slot_minutes=30, slot_capacity=CAPACITY, days_ahead=21)
        db.session.add(department)
        db.session.flush()
        service = Service(department_id=department.id, mode="appointment", title_ka="მიღება",
                          title_en="Reception")
        db.session.add(service)
        db.session.commit()
        service_id, department_id = service.id, department.id
        day = calendar.open_days(department, utcnow(), limit=1)[0]
        minute = calendar.times(department, day, utcnow())[0].minute
        db.session.remove()

    start = threading.Barrier(CLIENTS)
    booked, refused, errors = [], [], []
    connections = set()

    def client(n: int) -> None:
        try:
            with app.app_context(), tenant_context(poti):
                if POSTGRES:  # every client holds its own connection before they all go
                    connections.add(id(db.session.connection().connection.dbapi_connection))
                    start.wait(timeout=60)
                else:  # SQLite: a transaction holds the one write lock; start together
                    start.wait(timeout=60)
                service = db.session.get(Service, service_id)
                try:
                    requests.book(service, day=day, minute=minute, full_name=f"მოქალაქე {n}",
                                  email=f"client{n}@example.ge")
                    db.session.commit()
                    booked.append(n)
                except DomainError as error:
                    db.session.rollback()
                    assert error.field == "slot"
                    refused.append(n)
                finally:
                    db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert len(booked) == CAPACITY and len(refused) == CLIENTS - CAPACITY
        if POSTGRES:
            assert len(connections) == CLIENTS  # each client its own connection, all at once
        with app.app_context(), tenant_context(poti):
            [slot] = db.session.scalars(select(Slot).where(Slot.department_id == department_id)).all()
            assert (slot.taken, slot.capacity) == (CAPACITY, CAPACITY)
            made = db.session.scalar(select(func.count(ServiceRequest.id)).where(
                ServiceRequest.service_id == service_id, ServiceRequest.status == "booked"))
            assert made == CAPACITY
            db.session.remove()
    finally:
        with app.app_context(), tenant_context(poti):
            ids = select(ServiceRequest.id).where(ServiceRequest.service_id == service_id)
            db.session.execute(delete(RequestEvent).where(RequestEvent.request_id.in_(ids)))
            db.session.execute(delete(ServiceRequest).where(ServiceRequest.service_id == service_id))
            db.session.execute(delete(OutboxMessage).where(
                OutboxMessage.idempotency_key.like("municipal_services.%")))
            db.session.execute(delete(Slot).where(Slot.department_id == department_id))
            db.session.execute(delete(Service).where(Service.id == service_id))
            db.session.execute(delete(Department).where(Department.id == department_id))
            db.session.commit()
            db.session.remove()
