"""SMS through the outbox to a local provider that speaks the HTTP API, errors included."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.delivery.tasks import poll_sms_status
from portal.delivery.worker import drain
from portal.extensions import db
from portal.services.outbox import queue_sms
from portal.services.recipients import InvalidRecipient, normalise_phone
from portal.tenancy import tenant_context
from portal.tenancy.registry import Sms
from tests.delivery.conftest import with_settings

# These tests work on the database directly, between requests.
pytestmark = pytest.mark.usefixtures("ctx")

TEXT = "საკრებულოს სხდომა ხვალ 15:00 საათზე."


def _refresh(*messages):
    for message in messages:
        db.session.refresh(message)


def test_georgian_sms_is_sent_with_sender_reference_and_cost(delivery_config, sms_server, poti):
    with tenant_context(poti):
        message = queue_sms(to="+995 555 12 34 56", text=TEXT, idempotency_key="sess-1")
        assert (message.recipient, message.encoding, message.segments) == (
            "995555123456", "UCS-2", 1)
        assert message.cost_tetri == 3
        db.session.commit()
        report = drain()
        _refresh(message)
    assert report.sent == 1 and message.status == "sent"
    sent = sms_server.by_reference["sess-1"]
    assert sent == {"message_id": "m1", "destination": "995555123456", "content": TEXT,
                    "sender": "Poti"}
    assert message.provider_message_id == "m1"


def test_transliterated_sms_is_gsm7_and_cheaper(poti):
    long_text = TEXT * 3
    with tenant_context(poti):
        georgian = queue_sms(to="555123456", text=long_text)
        latin = queue_sms(to="555123456", text=long_text, transliterate=True)
    assert (georgian.encoding, georgian.segments) == ("UCS-2", 2)
    assert (latin.encoding, latin.segments) == ("GSM-7", 1)
    assert latin.body_text.startswith("sakrebulos skhdoma khval 15:00")
    assert latin.cost_tetri < georgian.cost_tetri


@pytest.mark.parametrize("number", ["555 12 34 56", "+995555123456", "00995-555-123-456",
                                    "(555) 123456"])
def test_phone_numbers_are_normalised(number):
    assert normalise_phone(number) == "995555123456"


@pytest.mark.parametrize("number", ["12ab", "+995 55", "", "+995 555 123 4567"])
def test_bad_phone_numbers_are_refused(number):
    with pytest.raises(InvalidRecipient):
        normalise_phone(number)


def test_bad_api_key_fails_permanently(delivery_config, sms_server, poti, monkeypatch, app):
    monkeypatch.setitem(app.config, "SMS_API_KEY", "wrong")
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        report = drain()
        _refresh(message)
    assert message.status == "failed" and "API key refused" in message.last_error
    assert report.failed == 1 and sms_server.accepted == 0


def test_server_errors_are_retried_then_sent(delivery_config, sms_server, poti):
    sms_server.script = [("http", 503), ("http", 502)]
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        drain()
        _refresh(message)
        assert (message.status, message.attempts) == ("pending", 1)
        assert "HTTP 503" in message.last_error
        drain()
        drain()
        _refresh(message)
    assert (message.status, message.attempts) == ("sent", 3)
    assert sms_server.accepted == 1


def test_rate_limited_answer_is_retried_after_the_providers_delay(
        delivery_config, sms_server, poti):
    sms_server.script = [("http", 429, 120)]
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        drain()
        _refresh(message)
    assert message.status == "pending" and "rate limit" in message.last_error
    wait = message.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(seconds=100) < wait <= timedelta(seconds=120)


def test_invalid_destination_bounces(delivery_config, sms_server, poti):
    sms_server.script = [("error", 30)]
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        drain()
        _refresh(message)
    assert message.status == "bounced" and "invalid destination" in message.last_error


def test_out_of_credit_waits_fifteen_minutes(delivery_config, sms_server, poti):
    sms_server.script = [("error", 20)]
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        drain()
        _refresh(message)
    assert message.status == "pending" and "out of credit" in message.last_error


def test_timeout_is_in_doubt_and_never_sent_twice(delivery_config, sms_server, poti,
                                                  monkeypatch):
    from portal.services.sms import http_api

    monkeypatch.setattr(http_api.HttpApiProvider, "__init__", _short_timeout)
    sms_server.script = [("slow", 0.6)]  # accepted, but answered after the client gave up
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT, idempotency_key="once")
        db.session.commit()
        drain()
        _refresh(message)
        assert message.status == "pending" and message.handed_off_at is not None
        assert "timed out" in message.last_error
        drain()  # asks the provider by reference first: it has the message
        _refresh(message)
    assert message.status == "sent" and message.provider_message_id == "m1"
    assert sms_server.submissions["once"] == 1


def _short_timeout(self, *, base_url, api_key, timeout=0.3):
    self.base_url, self.api_key, self.timeout = base_url.rstrip("/"), api_key, 0.3


def test_over_budget_messages_are_held_until_approved(delivery_config, sms_server, poti, runner):
    tenant = with_settings(poti, sms=Sms(sender="Poti", monthly_budget_gel=Decimal("0.06")))
    with tenant_context(tenant):
        messages = [queue_sms(to="555123456", text=TEXT) for _ in range(3)]  # 3 tetri each
        db.session.commit()
        report = drain()
        _refresh(*messages)
        assert [m.status for m in messages] == ["sent", "sent", "held"]
        assert report.held == 1 and "budget" in messages[2].last_error
        result = runner.invoke(args=["outbox", "approve", "--tenant", "poti", "--all"])
        assert result.exit_code == 0 and "approved 1 message" in result.output
        drain()
        _refresh(*messages)
    assert [m.status for m in messages] == ["sent", "sent", "sent"]
    assert sms_server.accepted == 3


def test_delivery_reports_are_polled_and_undelivered_bounces(delivery_config, sms_server, poti):
    sms_server.undeliverable.add("995555000000")
    with tenant_context(poti):
        ok = queue_sms(to="555123456", text=TEXT)
        lost = queue_sms(to="555000000", text=TEXT)
        db.session.commit()
        drain()
        poll_sms_status(poti.id)
        _refresh(ok, lost)
    assert (ok.status, ok.delivery_status) == ("sent", "delivered")
    assert (lost.status, lost.delivery_status) == ("bounced", "undelivered")


def test_sms_without_provider_waits(delivery_config, poti, monkeypatch, app):
    monkeypatch.setitem(app.config, "SMS_API_URL", None)
    with tenant_context(poti):
        message = queue_sms(to="555123456", text=TEXT)
        db.session.commit()
        drain()
        _refresh(message)
    assert message.status == "pending" and "no SMS provider" in message.last_error


def test_outbox_list_shows_only_that_municipality(runner, poti, abasha):
    with tenant_context(poti):
        queue_sms(to="555123456", text="ფოთი")
    with tenant_context(abasha):
        queue_sms(to="555654321", text="აბაშა")
    db.session.flush()
    result = runner.invoke(args=["outbox", "list", "--tenant", "abasha"])
    assert "995555654321" in result.output and "995555123456" not in result.output
    with tenant_context(poti):
        db.session.execute(update(OutboxMessage).values(status="failed"))
        rows = db.session.execute(select(OutboxMessage.status)).scalars().all()
    assert rows == ["failed"]
    with tenant_context(abasha):
        assert db.session.execute(select(OutboxMessage.status)).scalars().all() == ["pending"]
