"""The shared SMS confirmation codes: sent through the outbox to a real local SMS server, stored
only as a keyed hash, limited per hour, a few tries, expiring."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.delivery.worker import drain
from portal.extensions import db
from portal.services import phone_codes
from portal.services.errors import DomainError
from portal.services.phone_codes import CodeRefused, PhoneCode
from portal.tenancy import tenant_context
from tests.servers import SmsServer

pytestmark = pytest.mark.usefixtures("ctx")

PHONE = "+995 555 12 34 56"
PURPOSE = "tests.phone:1"


@pytest.fixture
def sms_server(app, monkeypatch):
    with SmsServer() as server:
        for key, value in {"SMS_API_URL": server.url, "SMS_API_KEY": "test-key",
                           "OUTBOX_RETRY_BASE_SECONDS": 0.0}.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


def _sent_code(server: SmsServer) -> str:
    [sent] = server.by_reference.values()
    return re.search(r"\b(\d{6})\b", sent["content"]).group(1)


def _send(**options) -> PhoneCode:
    return phone_codes.send_code(PHONE, PURPOSE, language=options.pop("language", "en"), **options)


def test_a_code_reaches_the_sms_server_and_confirms_the_phone(poti, sms_server):
    with tenant_context(poti):
        row = _send(language="ka")
        db.session.commit()
        message = db.session.scalars(select(OutboxMessage)).one()
        assert drain().sent == 1
        code = _sent_code(sms_server)
        # Neither the code row nor the outbox keeps the code readable.
        assert row.code_hash != code and code not in row.code_hash
        assert code not in message.body_text and "[redacted]" in message.body_text
        [sent] = sms_server.by_reference.values()
        assert sent["destination"] == "995555123456" and "კოდი" in sent["content"]
        confirmed = phone_codes.confirm(PHONE, PURPOSE, code)
    assert confirmed.id == row.id and confirmed.confirmed_at is not None


def test_the_sms_is_in_the_persons_language(poti):
    with tenant_context(poti):
        _send(language="en")
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.body_text.startswith("Your confirmation code: [redacted].")


def test_codes_are_six_random_digits(poti, monkeypatch):
    seen = set()
    with tenant_context(poti):
        for n in range(3):
            phone_codes.send_code(PHONE, f"tests.phone:{n}", language="en")
        for message in db.session.scalars(select(OutboxMessage)):
            seen.add(message.secret_sealed)
    assert len(seen) == 3


def test_more_than_three_codes_an_hour_are_refused(poti):
    now = utcnow()
    with tenant_context(poti):
        for minutes in range(3):
            _send(now=now + timedelta(minutes=minutes))
        with force_locale("en"):
            with pytest.raises(DomainError) as refused:
                _send(now=now + timedelta(minutes=5))
            assert refused.value.field == "phone"
            assert "three codes in the last hour" in str(refused.value)
        # Another purpose, or an hour later, is fine.
        phone_codes.send_code(PHONE, "tests.phone:2", language="en", now=now)
        _send(now=now + timedelta(minutes=61))
        assert db.session.query(OutboxMessage).count() == 5


def test_a_wrong_code_counts_and_five_tries_end_the_code(poti):
    with tenant_context(poti), force_locale("en"):
        row = _send()
        for left in (4, 3, 2, 1):
            with pytest.raises(CodeRefused) as refused:
                phone_codes.confirm(PHONE, PURPOSE, "00000a")
            assert f"tries left: {left}" in str(refused.value) and refused.value.field == "code"
        with pytest.raises(CodeRefused, match="Too many wrong codes"):
            phone_codes.confirm(PHONE, PURPOSE, "000001")
        assert row.attempts == 5 and row.confirmed_at is None


def test_after_five_tries_even_the_right_code_is_refused(poti, sms_server):
    with tenant_context(poti), force_locale("en"):
        _send()
        db.session.commit()
        drain()
        code = _sent_code(sms_server)
        wrong = "111111" if code != "111111" else "222222"
        for _ in range(5):
            with pytest.raises(CodeRefused):
                phone_codes.confirm(PHONE, PURPOSE, wrong)
        with pytest.raises(CodeRefused, match="Too many wrong codes"):
            phone_codes.confirm(PHONE, PURPOSE, code)


def test_an_expired_code_is_refused(poti, sms_server):
    now = utcnow()
    with tenant_context(poti), force_locale("en"):
        _send(now=now)
        db.session.commit()
        drain()
        code = _sent_code(sms_server)
        with pytest.raises(CodeRefused, match="has expired"):
            phone_codes.confirm(PHONE, PURPOSE, code, now=now + timedelta(minutes=11))
        assert phone_codes.confirm(PHONE, PURPOSE, code, now=now + timedelta(minutes=9))


def test_a_newer_code_replaces_the_older_one(poti, sms_server):
    with tenant_context(poti), force_locale("en"):
        _send()
        db.session.commit()
        drain()
        first = _sent_code(sms_server)
        sms_server.by_reference.clear()
        _send()
        db.session.commit()
        drain()
        second = _sent_code(sms_server)
        if first != second:
            with pytest.raises(CodeRefused):
                phone_codes.confirm(PHONE, PURPOSE, first)
        assert phone_codes.confirm(PHONE, PURPOSE, second).confirmed_at is not None


def test_a_code_confirms_only_its_purpose_phone_and_municipality(poti, abasha, sms_server):
    with tenant_context(poti), force_locale("en"):
        _send()
        db.session.commit()
        drain()
        code = _sent_code(sms_server)
        with pytest.raises(CodeRefused, match="Ask for a code first"):
            phone_codes.confirm(PHONE, "tests.phone:other", code)
        with pytest.raises(CodeRefused, match="Ask for a code first"):
            phone_codes.confirm("555 00 00 00", PURPOSE, code)
    with tenant_context(abasha), force_locale("en"), pytest.raises(CodeRefused):
        phone_codes.confirm(PHONE, PURPOSE, code)


def test_a_number_that_is_not_a_phone_is_refused(poti):
    with tenant_context(poti), force_locale("en"):
        with pytest.raises(DomainError) as refused:
            phone_codes.send_code("12ab", PURPOSE, language="en")
        assert refused.value.field == "phone" and "Georgian mobile number" in str(refused.value)


def test_one_purpose_cannot_text_number_after_number(poti):
    with tenant_context(poti), force_locale("en"):
        for n in range(phone_codes.MAX_PER_PURPOSE_HOUR):
            phone_codes.send_code(f"555 00 00 0{n}", PURPOSE, language="en")
        with pytest.raises(DomainError, match="Too many codes were sent in the last hour"):
            phone_codes.send_code("555 00 00 99", PURPOSE, language="en")
        phone_codes.send_code("555 00 00 99", "tests.phone:someone-else", language="en")
