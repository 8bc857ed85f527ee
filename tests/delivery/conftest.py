"""Delivery fixtures: a local SMTP server, a local SMS provider, the app pointed at both."""

from __future__ import annotations

import dataclasses

import pytest

from tests.servers import SmsServer, SmtpServer


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def sms_server():
    with SmsServer() as server:
        yield server


@pytest.fixture
def delivery_config(app, monkeypatch, smtp, sms_server):
    """Send through the local servers, retry quickly, and never wait on the real queue."""
    for key, value in {
        "MAIL_URL": smtp.url, "MAIL_FROM": "portal@example.ge", "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None, "SMS_API_URL": sms_server.url, "SMS_API_KEY": "test-key",
        "OUTBOX_RETRY_BASE_SECONDS": 0.0, "OUTBOX_LEASE_SECONDS": 300.0,
        "OUTBOX_BATCH_SIZE": 50,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return app.config


def with_settings(tenant, **changes):
    """A copy of ``tenant`` with some tenant.toml settings changed (``mail=...``, ``sms=...``)."""
    config = tenant.config.model_copy(update=changes)
    return dataclasses.replace(tenant, config=config)


@pytest.fixture(autouse=True)
def _app_context(request, app):
    # Merged into a main whose tests push no app context by default (tests/conftest.py: ctx);
    # these tests use the database directly, so they run inside one, as they were written
    # for (tests that manage their own database push their own).
    if "no_db_rollback" in request.keywords:
        yield
        return
    with app.app_context():
        yield
