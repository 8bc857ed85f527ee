"""Replying STOP by SMS: the provider's signed webhook ends every SMS subscription of the
number in that municipality only, one confirmation SMS goes back, the stop is on record; other
text is ignored, a repeated or replayed message id does nothing, and a request not signed with
that municipality's secret (or stale) changes nothing. Subscriptions' SMS say how to stop."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from portal.blueprints.subscriptions.models import SmsReply, Subscriber, Subscription
from portal.blueprints.subscriptions.sms_replies import is_stop
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.servers import SmsServer
from tests.subscriptions.conftest import outbox, run
from tests.subscriptions.factories import make_subscriber

NUMBER = "995555000111"
SECRETS = {"poti": "poti-inbound-secret", "abasha": "abasha-inbound-secret"}


@pytest.fixture
def provider(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_INBOUND_SECRETS", dict(SECRETS))
    return SmsServer(inbound_secret=SECRETS["poti"])  # not started: it only signs


def _deliver(client, provider, text, *, slug="poti", sender=NUMBER, **options):
    body, headers = provider.inbound_request(sender, text, **options)
    return client.post(f"/{slug}/subscriptions/sms/inbound", data=body, headers=headers)


def _sms_subscribers(app, tenant) -> list[tuple[str, int]]:
    with app.app_context(), tenant_context(tenant):
        return [(s.address, db.session.scalar(select(func.count(Subscription.id)).where(
                    Subscription.subscriber_id == s.id)))
                for s in db.session.scalars(select(Subscriber).where(Subscriber.channel == "sms"))]


def _stops(app, tenant) -> list[AuditEntry]:
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "subscriptions.sms_stop",
            AuditEntry.tenant_id == tenant.id)).all()


@pytest.mark.parametrize("text", ["STOP", "stop", "Stop", " stop! ", "STOP.", "სტოპ", "ᲡᲢᲝᲞ",
                                  "სტოპი", "stop all", "STOPALL", "Unsubscribe", "стоп",
                                  "გაუქმება"])
def test_stop_words(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["", "hello", "stop sending me water news", "stoppage",
                                  "გამარჯობა", "5", "STOP" * 30])
def test_other_text_is_not_a_stop(text):
    assert not is_stop(text)


def test_stop_ends_the_numbers_sms_subscriptions_here_only(app, client, provider, poti, abasha):
    make_subscriber(app, poti, channel="sms", address=NUMBER, topics=("emergency",))
    make_subscriber(app, abasha, channel="sms", address=NUMBER, topics=("emergency",))
    make_subscriber(app, poti, channel="sms", address="995555000222", topics=("emergency",))
    make_subscriber(app, poti, channel="email", address="keep@example.ge")

    answer = _deliver(client, provider, "სტოპ")

    assert answer.status_code == 204
    assert _sms_subscribers(app, poti) == [("995555000222", 1)]
    assert _sms_subscribers(app, abasha) == [(NUMBER, 1)]  # another municipality's list
    [confirmation] = [m for m in outbox(app, poti) if m.channel == "sms"]
    assert confirmation.recipient == NUMBER
    assert confirmation.encoding == "GSM-7" and confirmation.segments == 1
    assert "SMS" in confirmation.body_text  # Georgian, in Latin letters
    assert [m for m in outbox(app, abasha) if m.channel == "sms"] == []
    [entry] = _stops(app, poti)
    assert entry.after["topics"] == 1 and NUMBER not in json.dumps(entry.after)


def test_a_number_stored_with_a_plus_and_english_gets_an_english_answer(app, client, provider,
                                                                         poti):
    make_subscriber(app, poti, channel="sms", address=f"+{NUMBER}", locale="en",
                    topics=("emergency",))
    assert _deliver(client, provider, "STOP").status_code == 204
    assert _sms_subscribers(app, poti) == []
    [confirmation] = [m for m in outbox(app, poti) if m.channel == "sms"]
    assert "no more SMS" in confirmation.body_text


def test_the_same_message_twice_acts_once(app, client, provider, poti):
    make_subscriber(app, poti, channel="sms", address=NUMBER)
    assert _deliver(client, provider, "STOP", message_id="prov-1").status_code == 204
    make_subscriber(app, poti, channel="sms", address=NUMBER)  # subscribed again since
    assert _deliver(client, provider, "STOP", message_id="prov-1").status_code == 204

    assert _sms_subscribers(app, poti) == [(NUMBER, 1)]
    assert len([m for m in outbox(app, poti) if m.channel == "sms"]) == 1
    assert len(_stops(app, poti)) == 1


def test_other_text_changes_nothing(app, client, provider, poti):
    make_subscriber(app, poti, channel="sms", address=NUMBER)
    assert _deliver(client, provider, "რა ხდება?").status_code == 204
    assert _deliver(client, provider, "stop sending").status_code == 204
    assert _sms_subscribers(app, poti) == [(NUMBER, 1)]
    assert outbox(app, poti) == [] and _stops(app, poti) == []
    with app.app_context(), tenant_context(poti):
        assert set(db.session.scalars(select(SmsReply.action))) == {"ignored"}


def test_stop_from_a_number_with_nothing_to_end_sends_nothing(app, client, provider, poti):
    assert _deliver(client, provider, "STOP").status_code == 204
    assert outbox(app, poti) == [] and _stops(app, poti) == []


@pytest.mark.parametrize("how", ["wrong secret", "another municipality's secret", "stale",
                                 "future", "no signature", "tampered"])
def test_requests_not_signed_by_the_provider_change_nothing(app, client, provider, poti, how):
    make_subscriber(app, poti, channel="sms", address=NUMBER)
    options = {"wrong secret": {"secret": "guess"},
               "another municipality's secret": {"secret": SECRETS["abasha"]},
               "stale": {"timestamp": int(time.time()) - 3600},
               "future": {"timestamp": int(time.time()) + 3600}}.get(how, {})
    body, headers = provider.inbound_request(NUMBER, "STOP", **options)
    if how == "no signature":
        headers.pop("X-SMS-Signature")
    if how == "tampered":
        body = body.replace(NUMBER.encode(), b"995555000999")
    answer = client.post("/poti/subscriptions/sms/inbound", data=body, headers=headers)
    assert answer.status_code == 403
    assert _sms_subscribers(app, poti) == [(NUMBER, 1)] and outbox(app, poti) == []


def test_poti_signed_stop_sent_to_abasha_is_refused(app, client, provider, abasha):
    make_subscriber(app, abasha, channel="sms", address=NUMBER)
    assert _deliver(client, provider, "STOP", slug="abasha").status_code == 403
    assert _sms_subscribers(app, abasha) == [(NUMBER, 1)]


def test_a_municipality_without_a_secret_takes_no_replies(app, client, provider, poti,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "SMS_INBOUND_SECRETS", {})
    make_subscriber(app, poti, channel="sms", address=NUMBER)
    assert _deliver(client, provider, "STOP").status_code == 404
    assert _sms_subscribers(app, poti) == [(NUMBER, 1)]


@pytest.mark.parametrize("body", [b"not json", b"[]", json.dumps(
    {"message_id": "x", "from": "abc", "content": "STOP"}).encode(), json.dumps(
    {"message_id": "a b", "from": NUMBER, "content": "STOP"}).encode(), json.dumps(
    {"message_id": "x", "from": NUMBER, "content": 5}).encode()])
def test_malformed_but_signed_bodies_are_refused(app, client, provider, poti, body):
    import hashlib
    import hmac

    stamp = str(int(time.time()))
    mac = hmac.new(SECRETS["poti"].encode(), stamp.encode() + b"." + body, hashlib.sha256)
    answer = client.post("/poti/subscriptions/sms/inbound", data=body, headers={
        "X-SMS-Timestamp": stamp, "X-SMS-Signature": f"sha256={mac.hexdigest()}"})
    assert answer.status_code == 403


def test_old_reply_ids_are_purged(app, poti, provider, client):
    from datetime import timedelta

    from portal.blueprints.subscriptions.sms_replies import KEEP, purge_replies
    from portal.db import utcnow

    assert _deliver(client, provider, "hello").status_code == 204
    with app.app_context(), tenant_context(poti):
        assert purge_replies(utcnow()) == 0
        assert purge_replies(utcnow() + KEEP + timedelta(minutes=1)) == 1
    assert "reply ids deleted" in run(app, poti, "purge_sms_replies")


def test_subscription_sms_say_how_to_stop_within_their_segments(app, poti, abasha):
    from portal.blueprints.subscriptions.delivery import SMS_SEGMENTS, sms_body
    from portal.services.sms.segments import segment_info

    manage = "https://poti.gov.ge/subscriptions/manage/123-" + "x" * 32
    with app.app_context(), tenant_context(poti):
        short = sms_body("წყალი ხვალ შეწყდება", manage, "ka")
        english = sms_body("No water tomorrow", manage, "en")
        long = sms_body("წყალი " * 400, manage, "ka")
    with app.app_context(), tenant_context(abasha):
        no_replies = sms_body("წყალი ხვალ შეწყდება", manage, "ka")
    assert short.startswith("tsqali khval shetsqdeba\n" + manage)
    assert short.endswith("STOP 91100") and segment_info(short).segments == 1
    assert english.endswith("Stop: STOP to 91100")
    assert segment_info(long).segments == SMS_SEGMENTS and long.endswith("STOP 91100")
    assert manage in long and "..." in long
    assert "STOP" not in no_replies  # Abasha's provider takes no replies


def test_a_broadcast_sms_ends_with_the_stop_hint(app, poti):
    from portal.blueprints.subscriptions.delivery import add_notice
    from portal.blueprints.subscriptions.topics import EMERGENCY, get_topic

    make_subscriber(app, poti, channel="sms", address=NUMBER)
    with app.app_context(), tenant_context(poti):
        notice_id = add_notice(get_topic(EMERGENCY), item="stop-hint", kind="broadcast",
                               subject={"ka": "წყალი", "en": "Water"}, lines={},
                               sms_text="ხვალ წყალი არ იქნება", channels="sms")
        db.session.commit()
    run(app, poti, "send_notice", notice_id=notice_id)
    [message] = [m for m in outbox(app, poti) if m.channel == "sms"]
    assert message.body_text.startswith("khval tsqali ar ikneba\nhttp")
    assert message.body_text.endswith("STOP 91100") and message.segments == 1
