"""Letters' fixtures: staff of each inbox, a local SMTP server, the outbox read back."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.blueprints.letters.models import Letter
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.servers import SmtpServer
from tests.staff_fixtures import signed_in

CODE_RE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}\b")


@pytest.fixture
def mayors_office(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["mayors_office"], email="mayor-office@poti.example.org"))
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def clerk(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["clerk"], email="clerk@poti.example.org"))
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def smtp(app, monkeypatch):
    with SmtpServer() as server:
        for key, value in {
            "MAIL_URL": server.url, "MAIL_FROM": "portal@example.ge", "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None, "OUTBOX_RETRY_BASE_SECONDS": 0.0, "OUTBOX_LEASE_SECONDS": 300.0,
            "OUTBOX_BATCH_SIZE": 50,
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


def deliver(app, tenant):
    from portal.delivery.worker import drain

    with app.app_context(), tenant_context(tenant):
        report = drain(channels=("email",))
        db.session.commit()
    return report


def outbox(app, tenant) -> list[OutboxMessage]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def letters(app, tenant) -> list[Letter]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(Letter).order_by(Letter.id)))


def letter(app, tenant, letter_id: int) -> Letter:
    with app.app_context(), tenant_context(tenant):
        return db.session.get(Letter, letter_id)
