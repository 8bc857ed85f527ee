"""E-mail through the outbox to a real local SMTP server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.delivery.models import OutboxMessage
from portal.delivery.worker import drain
from portal.extensions import db
from portal.jobs import get_queue
from portal.services.mail import parse_mail_url
from portal.services.outbox import queue_email
from portal.services.recipients import InvalidRecipient
from portal.tenancy import tenant_context
from portal.tenancy.registry import Mail, Sms, Text
from tests.delivery.conftest import with_settings
from tests.servers import SmtpServer

# These tests work on the database directly, between requests.
pytestmark = pytest.mark.usefixtures("ctx")

GEORGIAN_TITLE = "პეტიცია მიღებულია"
GEORGIAN_LINE = "თქვენი ხელმოწერა დადასტურებულია. გმადლობთ!"


def _queue(to="citizen@example.ge", **kwargs):
    context = {"title": GEORGIAN_TITLE, "lines": [GEORGIAN_LINE],
               "action_url": "https://poti.gov.ge/petitions/1"}
    return queue_email(to=to, template="notice", context=context,
                       locale=kwargs.pop("locale", "ka"), **kwargs)


def _messages():
    return db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def test_georgian_email_arrives_with_text_html_sender_and_unsubscribe(
        delivery_config, smtp, poti):
    tenant = with_settings(poti, mail=Mail(
        sender_name=Text(ka="ფოთის მერია", en="Poti City Hall"), reply_to="info@poti.gov.ge"))
    with tenant_context(tenant):
        message = _queue(subscription_token="tok_" + "a" * 30)
        db.session.commit()
        report = drain()
    assert report.sent == 1
    [received] = smtp.messages
    assert received["Subject"] == GEORGIAN_TITLE
    assert received["From"].addresses[0].display_name == "ფოთის მერია"
    assert received["From"].addresses[0].addr_spec == "portal@example.ge"
    assert received["Reply-To"] == "info@poti.gov.ge"
    assert received["To"] == "citizen@example.ge"
    assert received["Content-Language"] == "ka"
    # Poti's own domain, in the configured scheme (https in production).
    assert received["List-Unsubscribe"].strip() == f"<http://poti.gov.ge/unsubscribe/tok_{'a' * 30}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert GEORGIAN_LINE in text and GEORGIAN_LINE in html
    assert "ფოთის მუნიციპალიტეტი" in text  # the footer, in Georgian
    assert f"http://poti.gov.ge/unsubscribe/tok_{'a' * 30}" in text and "/unsubscribe/tok_" in html
    assert "მეშვეობით.\n" in text, "the footer's sentence ends its line, before the unsubscribe one"
    db.session.refresh(message)
    assert message.status == "sent" and message.sent_at and message.attempts == 1


def test_english_locale_renders_english_footer(delivery_config, smtp, poti):
    with tenant_context(poti):
        _queue(locale="en")
        db.session.commit()
        drain()
    [received] = smtp.messages
    text = received.get_body(("plain",)).get_content()
    assert "Poti Municipality, through its civic-engagement portal." in text
    assert received["From"].addresses[0].display_name == "Poti Municipality"
    assert "List-Unsubscribe" not in received


def test_message_id_is_stable_and_derived_from_the_idempotency_key(delivery_config, smtp, poti):
    with tenant_context(poti):
        first = _queue(idempotency_key="petition-1-signature-7")
        again = _queue(idempotency_key="petition-1-signature-7")
        assert again.id == first.id  # a repeated key queues nothing new
        db.session.commit()
        drain()
    assert list(smtp.message_ids) == [
        smtp.messages[0]["Message-ID"]] and "@example.ge>" in smtp.messages[0]["Message-ID"]


def test_a_new_key_is_not_looked_up_but_still_unique(app, poti):
    from sqlalchemy.exc import IntegrityError

    from tests.helpers import count_queries

    with app.app_context():
        engine = db.engine
    with tenant_context(poti), count_queries(engine) as statements:
        _queue(idempotency_key="petitions.confirm:41", new_key=True)
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT")], statements
    with tenant_context(poti), pytest.raises(IntegrityError):
        _queue(idempotency_key="petitions.confirm:41", new_key=True)  # a caller's mistake
    db.session.rollback()


def test_invalid_address_or_locale_is_refused_before_queueing(poti):
    with tenant_context(poti), pytest.raises(InvalidRecipient):
        _queue(to="not an address")
    with tenant_context(poti), pytest.raises(ValueError, match="no e-mail templates"):
        _queue(locale="de")


def test_rollback_sends_nothing_and_wakes_nothing(delivery_config, smtp, poti):
    queue = get_queue()
    queue.huey.flush()
    with tenant_context(poti):
        _queue()
        db.session.rollback()
        report = drain()
        assert _messages() == []
    assert report.sent == 0 and smtp.received == 0
    assert queue.huey.pending_count() == 0


def test_commit_wakes_delivery_for_that_municipality(delivery_config, poti):
    queue = get_queue()
    queue.huey.flush()
    with tenant_context(poti):
        _queue()
        db.session.commit()
    [task] = queue.huey.pending()
    assert task.name == "send_outbox" and task.args == (poti.id,)
    queue.huey.flush()


def test_smtp_down_then_up_delivers_after_retry(delivery_config, poti, monkeypatch, app):
    down = SmtpServer()  # a port with nothing listening yet
    monkeypatch.setitem(app.config, "MAIL_URL", down.url)
    with tenant_context(poti):
        message = _queue()
        db.session.commit()
        report = drain()
        assert report.sent == 0 and report.retried == 1
        db.session.refresh(message)
        assert message.status == "pending" and message.attempts == 1
        assert "unreachable" in message.last_error
        with down:
            report = drain()
        db.session.refresh(message)
    assert report.sent == 1 and message.status == "sent" and message.attempts == 2
    assert down.received == 1 and down.messages[0]["Subject"] == GEORGIAN_TITLE


def test_refused_recipient_is_bounced_and_not_retried(delivery_config, smtp, poti):
    smtp.refuse.add("gone@example.ge")
    with tenant_context(poti):
        bad = _queue(to="gone@example.ge")
        good = _queue(to="here@example.ge")
        db.session.commit()
        report = drain()
        db.session.refresh(bad)
        db.session.refresh(good)
    assert (bad.status, good.status) == ("bounced", "sent")
    assert "550" in bad.last_error and report.failed == 1
    assert smtp.received == 1


def test_attempts_run_out_into_failed(delivery_config, poti, monkeypatch, app):
    monkeypatch.setitem(app.config, "MAIL_URL", SmtpServer().url)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    with tenant_context(poti):
        message = _queue()
        db.session.commit()
        drain()
        drain()
        db.session.refresh(message)
    assert message.status == "failed" and "gave up after 2 attempts" in message.last_error


def test_per_minute_limit_holds_the_rest_back(delivery_config, smtp, poti):
    tenant = with_settings(poti, mail=Mail(per_minute=2))
    with tenant_context(tenant):
        for n in range(5):
            _queue(to=f"c{n}@example.ge")
        db.session.commit()
        report = drain()
    assert smtp.received == 2 and report.sent == 2 and report.wait >= 1


def test_staff_of_one_municipality_see_only_their_messages(poti, abasha):
    with tenant_context(poti):
        _queue(to="poti@example.ge")
    with tenant_context(abasha):
        _queue(to="abasha@example.ge")
        assert [m.recipient for m in _messages()] == ["abasha@example.ge"]
        db.session.flush()
    with tenant_context(poti):
        assert [m.recipient for m in _messages()] == ["poti@example.ge"]


def test_sms_budget_is_separate_from_mail(poti):
    # tenant.toml: strict tables, money in GEL.
    sms = Sms(sender="Poti", monthly_budget_gel=Decimal("10"))
    assert sms.segment_price_gel == Decimal("0.03")
    with pytest.raises(ValueError):
        Sms(sender="this sender name is too long")


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.ge", ("plain", "mail.example.ge", 25, None)),
    ("smtp+starttls://mail.example.ge:2525", ("starttls", "mail.example.ge", 2525, None)),
    ("smtps://user%40x:p%40ss@mail.example.ge", ("tls", "mail.example.ge", 465, "user@x")),
])
def test_mail_url_picks_transport_port_and_credentials(url, expected):
    settings = parse_mail_url(url)
    assert (settings.security, settings.host, settings.port, settings.username) == expected
    if settings.username:
        assert settings.password == "p@ss"
    assert parse_mail_url(url, "env-user", "env-pass").username == "env-user"


@pytest.mark.parametrize("url", ["http://mail.example.ge", "smtp://", "mail.example.ge"])
def test_malformed_mail_url_is_refused(url):
    with pytest.raises(ValueError):
        parse_mail_url(url)
