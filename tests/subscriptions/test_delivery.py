"""Delivery: a notice reaches each confirmed subscriber of its topic once, in their language,
through the outbox and the real local SMTP server, with a manage link and one-click
unsubscribe headers; batches resume; petitions and sessions fire their topics; unconfirmed
contacts are purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.subscriptions import delivery, services
from portal.blueprints.subscriptions.models import Notice, Subscriber
from portal.blueprints.subscriptions.topics import notify
from portal.db import utcnow
from portal.delivery.worker import drain
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.subscriptions.conftest import outbox, run
from tests.subscriptions.factories import make_subscriber


def _notify(app, tenant, topic="emergency", item="water-1", **values):
    with app.app_context(), tenant_context(tenant):
        notice_id = notify(topic, item=item, subject=_l("Emergency announcements"),
                           lines=["წყალი 14 საათამდე არ იქნება."],
                           url="https://poti.gov.ge/news/1", **values)
        db.session.commit()
        return notice_id


def test_each_confirmed_subscriber_gets_one_message_in_their_language(
        app, poti, abasha, delivery_config, smtp):
    _ka, _c, ka_manage = make_subscriber(app, poti, address="nino@example.ge")
    make_subscriber(app, poti, address="anna@example.com", locale="en")
    make_subscriber(app, poti, address="late@example.ge", confirmed=False)
    make_subscriber(app, poti, address="other@example.ge", topics=("petitions.new",))
    make_subscriber(app, abasha, address="abasha@example.ge")
    notice_id = _notify(app, poti)
    assert run(app, poti, "send_notice", notice_id=notice_id) == "2 queued"
    assert run(app, poti, "send_notice", notice_id=notice_id) == "nothing to send"
    messages = outbox(app, poti)
    assert sorted((m.recipient, m.locale, m.subject) for m in messages) == [
        ("anna@example.com", "en", "Emergency announcements"),
        ("nino@example.ge", "ka", "საგანგებო განცხადებები")]
    assert outbox(app, abasha) == []
    with app.app_context(), tenant_context(poti):
        assert drain().sent == 2
    received = {m["To"]: m for m in smtp.messages}
    georgian = received["nino@example.ge"]
    assert georgian["List-Unsubscribe"].strip() == f"<http://poti.gov.ge/unsubscribe/{ka_manage}>"
    assert georgian["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = georgian.get_body(("plain",)).get_content()
    assert "წყალი 14 საათამდე არ იქნება." in text
    assert f"http://poti.gov.ge/subscriptions/manage/{ka_manage}" in text
    assert "https://poti.gov.ge/news/1" in text


def test_an_item_is_announced_once(app, poti):
    make_subscriber(app, poti)
    first = _notify(app, poti, item="same")
    assert first is not None and _notify(app, poti, item="same") is None
    run(app, poti, "send_notice", notice_id=first)
    run(app, poti, "send_notice", notice_id=first)
    assert len(outbox(app, poti)) == 1


def test_a_long_list_goes_in_batches_and_a_retried_batch_repeats_nothing(app, poti, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", 2)
    for _ in range(5):
        make_subscriber(app, poti)
    notice_id = _notify(app, poti)
    assert run(app, poti, "send_notice", notice_id=notice_id) == "2 queued, more to come"
    with app.app_context(), tenant_context(poti):  # a crashed run: its batch queued again
        notice = db.session.get(Notice, notice_id)
        notice.last_subscriber_id, notice.queued = 0, 0
        db.session.commit()
    for _ in range(3):
        run(app, poti, "send_notice", notice_id=notice_id)
    messages = outbox(app, poti)
    assert len(messages) == len({m.recipient for m in messages}) == 5
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Notice, notice_id).state == "sent"


def test_emergency_sms_goes_to_phone_subscribers(app, poti, delivery_config, sms_server):
    make_subscriber(app, poti, channel="sms", address="995555000001")
    notice_id = _notify(app, poti, sms_text="წყალი შეწყდება 14 საათამდე")
    run(app, poti, "send_notice", notice_id=notice_id)
    [message] = outbox(app, poti)
    assert message.channel == "sms" and message.encoding == "GSM-7"
    assert message.body_text.startswith("tsqali shetsqdeba")
    with app.app_context(), tenant_context(poti):
        assert drain().sent == 1
    assert sms_server.accepted == 1


def test_a_topic_nobody_registered_is_refused(app, poti):
    with app.app_context(), tenant_context(poti), pytest.raises(LookupError):
        notify("no.such.topic", item="x", subject="x")


def test_petitions_announce_new_petitions_and_a_petitions_steps(app, poti):
    from portal.blueprints.petitions import lifecycle
    from portal.blueprints.petitions.models import Petition
    from tests.petitions.admin_factories import make_petition, record_voters

    record_voters(app, poti)
    petition_id = make_petition(app, poti)
    make_subscriber(app, poti, address="new@example.ge", topics=("petitions.new",))
    make_subscriber(app, poti, address="one@example.ge", topics=(f"petitions.petition:{petition_id}",))
    with app.app_context(), tenant_context(poti):
        petition = db.session.get(Petition, petition_id)
        lifecycle.publish(petition)
        lifecycle.move(petition, "submitted")
        db.session.commit()
        notices = db.session.scalars(select(Notice).order_by(Notice.id)).all()
        assert [(n.topic, n.object_id) for n in notices] == [
            ("petitions.new", 0), ("petitions.petition", petition_id)]
        ids = [n.id for n in notices]
    for notice_id in ids:
        run(app, poti, "send_notice", notice_id=notice_id)
    by_address = {m.recipient: m for m in outbox(app, poti)}
    assert "ახალი პეტიცია" in by_address["new@example.ge"].subject
    assert "საკრებულოს" in by_address["one@example.ge"].body_text


def test_unconfirmed_contacts_are_purged_after_a_few_days(app, poti):
    old, _c, _m = make_subscriber(app, poti, confirmed=False)
    fresh, _c, _m = make_subscriber(app, poti, confirmed=False)
    kept, _c, _m = make_subscriber(app, poti)
    with app.app_context(), tenant_context(poti):
        for subscriber_id in (old, kept):
            db.session.get(Subscriber, subscriber_id).created_at = utcnow() - timedelta(days=10)
        db.session.commit()
    assert run(app, poti, "purge_unconfirmed_subscribers") == "1 unconfirmed contacts deleted"
    with app.app_context(), tenant_context(poti):
        assert sorted(db.session.scalars(select(Subscriber.id))) == sorted([fresh, kept])
        assert services.purge_unconfirmed() == 0
        assert db.session.scalar(select(func.count(Subscriber.id))) == 2


def test_a_daily_subscriber_gets_one_digest_a_day(app, poti, delivery_config, smtp):
    make_subscriber(app, poti, address="daily@example.ge", frequency="daily",
                    topics=("emergency", "petitions.new"))
    make_subscriber(app, poti, address="now@example.ge")
    first = _notify(app, poti, item="one")
    second = _notify(app, poti, topic="petitions.new", item="two")
    for notice_id in (first, second):
        run(app, poti, "send_notice", notice_id=notice_id)
    assert [m.recipient for m in outbox(app, poti)] == ["now@example.ge"]
    assert run(app, poti, "send_subscription_digests") == "1 digests queued"
    run(app, poti, "send_subscription_digests")  # a rerun the same day sends nothing twice
    digests = [m for m in outbox(app, poti) if m.recipient == "daily@example.ge"]
    assert len(digests) == 1
    assert digests[0].body_text.count("საგანგებო განცხადებები") >= 2
    assert digests[0].unsubscribe_url


def test_manage_page_switches_to_the_daily_digest(app, client, poti):
    from tests.helpers import csrf_token

    _id, _c, manage = make_subscriber(app, poti)
    page = client.get(f"/poti/subscriptions/manage/{manage}")
    assert 'name="frequency"' in page.text
    client.post(f"/poti/subscriptions/manage/{manage}", data={
        "csrf_token": csrf_token(page.text), "topics": ["emergency"], "frequency": "daily"})
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Subscriber, _id).frequency == "daily"


def test_news_published_now_is_announced_to_its_bodys_subscribers(app, poti):
    from portal.blueprints.news.models import NewsItem
    from portal.blueprints.news.topics import announce

    make_subscriber(app, poti, address="hall@example.ge", topics=("news.city_hall",))
    make_subscriber(app, poti, address="council@example.ge", topics=("news.sakrebulo",))
    with app.app_context(), tenant_context(poti):
        now = NewsItem(title="ახალი პარკი", title_en="A new park", body="<p>ტექსტი</p>",
                       body_kind="city_hall", status="published", publish_at=utcnow())
        later = NewsItem(title="მომავალი", body="<p>ტექსტი</p>", body_kind="sakrebulo",
                         status="published", publish_at=utcnow() + timedelta(days=1))
        db.session.add_all([now, later])
        db.session.flush()
        for item in (now, later, now):
            announce(item)
        db.session.commit()
        [notice] = db.session.scalars(select(Notice)).all()
        assert notice.topic == "news.city_hall"
        assert notice.subject == {"ka": "ახალი პარკი", "en": "A new park"}
        notice_id = notice.id
    run(app, poti, "send_notice", notice_id=notice_id)
    assert [m.recipient for m in outbox(app, poti)] == ["hall@example.ge"]
