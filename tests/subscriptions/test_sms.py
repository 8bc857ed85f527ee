"""Subscribing by SMS: the phone is confirmed with a code (``services/phone_codes.py``), a
wrong code is refused and counted, only topics that may go by SMS are offered, and the code
never lies readable in the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.subscriptions.conftest import outbox

BASE = "/poti/subscriptions"


def _ask(client, phone="555 12 34 56", topics=("emergency",)):
    token = csrf_token(client.get(f"{BASE}/sms").text)
    return client.post(f"{BASE}/sms", data={"csrf_token": token, "phone": phone,
                                            "topics": list(topics)})


def _code(app, tenant) -> str:
    """The code in the newest SMS, as the provider gets it."""
    from portal.delivery.sealing import reveal

    [message] = [m for m in outbox(app, tenant) if m.channel == "sms"][-1:]
    with app.app_context():
        text = reveal(message.body_text, message.secret_sealed)
    assert re.search(r"\d{6}", message.body_text) is None  # stored sealed
    return re.search(r"\d{6}", text).group(0)


def _subscriber(app, tenant):
    with app.app_context(), tenant_context(tenant):
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.channel == "sms"))
        if subscriber is not None:
            db.session.expunge(subscriber)
        return subscriber


def test_the_sms_page_offers_only_topics_that_go_by_sms(client):
    page = client.get(f"{BASE}/sms")
    assert page.status_code == 200
    assert 'value="emergency"' in page.text and 'value="petitions.new"' not in page.text


def test_a_phone_is_confirmed_with_the_code(app, client, poti):
    response = _ask(client)
    assert response.status_code == 303
    subscriber = _subscriber(app, poti)
    assert subscriber.address == "995555123456" and subscriber.confirmed_at is None
    page = client.get(response.location)
    assert page.status_code == 200 and "3456" in page.text
    wrong = client.post(response.location, data={"csrf_token": csrf_token(page.text),
                                                  "code": "000000"})
    assert wrong.status_code == 422 and _subscriber(app, poti).confirmed_at is None
    right = client.post(response.location, data={"csrf_token": csrf_token(page.text),
                                                  "code": _code(app, poti)})
    assert right.status_code == 200 and "დადასტურებულია" in right.text
    assert _subscriber(app, poti).confirmed_at is not None


def test_topics_that_do_not_go_by_sms_are_refused(app, client, poti):
    response = _ask(client, topics=("petitions.new",))
    assert response.status_code == 422
    response = _ask(client, phone="123")
    assert response.status_code == 422
    assert _subscriber(app, poti) is None


def test_a_confirmed_number_keeps_its_topics_until_the_code_is_typed(app, client, poti):
    from tests.subscriptions.factories import make_subscriber

    make_subscriber(app, poti, channel="sms", address="995555123456", topics=("emergency",))
    assert _ask(client, topics=("emergency",)).status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.scalars(select(Subscription.topic)).all() == ["emergency"]
