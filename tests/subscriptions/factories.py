"""Subscriptions' things for the URL-map walks (see tests/factories.py): the confirmation
token of an unconfirmed subscriber, the manage token of a confirmed one, and a valid
broadcast for the staff POST route."""

from __future__ import annotations

import itertools
import secrets

from portal.blueprints.subscriptions import tokens
from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission

_numbers = itertools.count(1)


def make_subscriber(app, tenant, *, confirmed: bool = True, topics=("emergency",),
                    channel: str = "email", address: str | None = None,
                    locale: str = "ka", frequency: str = "immediate") -> tuple[int, str, str]:
    """A committed subscriber of ``tenant``: (id, confirmation token, manage token)."""
    with app.app_context(), tenant_context(tenant):
        n = next(_numbers)
        subscriber = Subscriber(channel=channel, locale=locale, link_nonce=secrets.token_hex(8),
                                frequency=frequency,
                                address=address or f"walk{n}-{tenant.slug}@example.ge",
                                confirmed_at=utcnow() if confirmed else None)
        db.session.add(subscriber)
        db.session.flush()
        for topic in topics:
            key, _, number = topic.partition(":")
            db.session.add(Subscription(subscriber_id=subscriber.id, topic=key,
                                        object_id=int(number or 0)))
        db.session.commit()
        return (subscriber.id, tokens.confirmation_token(subscriber),
                tokens.manage_token(subscriber))


@factory("subscriptions", "subscription_token")
def _confirmation(objects):
    return make_subscriber(objects.app, objects.tenant, confirmed=False)[1]


@factory("subscriptions", "subscriber_token")
def _manage(objects):
    return make_subscriber(objects.app, objects.tenant)[2]


@submission("subscriptions_admin.send_broadcast")
def _broadcast(objects, client):
    return {"topic": "emergency", "subject": "წყალი შეწყდება", "by_email": "y",
            "text": "ხვალ 10-დან 14 საათამდე წყალი არ იქნება.", "confirmed": "1"}
