"""Demo subscribers for ``flask demo load``: in Poti and Abasha a few confirmed e-mail
subscribers (addresses under example.ge, which receives no mail) in Georgian and English, one
each on the daily digest, a few saved searches of the archive (a topic ``("sessions.search",
words)``), and two SMS subscribers (numbers of the form 5xx 00 00 0x, for emergency
announcements).
Idempotent: a subscriber is looked up by its address before it is made."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.blueprints.subscriptions.topics import EMERGENCY
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context

SAVED_SEARCH = "sessions.search"
#: Demo addresses that chose the daily digest.
DAILY = frozenset({"giorgi.demo@example.ge", "levan.demo@example.ge"})
# (channel, address, locale, topics)
SUBSCRIBERS = {
    "poti": [
        ("email", "nino.demo@example.ge", "ka", ("news.city_hall", "petitions.new", EMERGENCY,
                                                 (SAVED_SEARCH, "ტრანსპორტი"))),
        ("email", "giorgi.demo@example.ge", "ka", ("sessions.upcoming", "news.sakrebulo")),
        ("email", "anna.demo@example.com", "en", ("petitions.new", "sessions.upcoming",
                                                  (SAVED_SEARCH, "ბიუჯეტი"))),
        ("sms", "+995555000001", "ka", (EMERGENCY,)),
        ("sms", "+995555000002", "ka", (EMERGENCY,)),
    ],
    "abasha": [
        ("email", "tamar.demo@example.ge", "ka", ("sessions.upcoming", EMERGENCY,
                                                  (SAVED_SEARCH, "ბიუჯეტის შესრულება"))),
        ("email", "levan.demo@example.ge", "ka", ("petitions.new", "news.city_hall",
                                                 (SAVED_SEARCH, "გზა"))),
        ("sms", "+995577000001", "ka", (EMERGENCY,)),
    ],
}


def load_demo_subscribers() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in SUBSCRIBERS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            for channel, address, locale, topics in rows:
                _subscriber(channel, address, locale, topics)
            made.append(f"{slug}: {len(rows)}")
    return "subscribers: " + ", ".join(made)


def _subscriber(channel: str, address: str, locale: str, topics: tuple) -> None:
    found = db.session.scalar(select(Subscriber).where(
        Subscriber.channel == channel, Subscriber.address == address))
    if found is not None:
        return
    subscriber = Subscriber(channel=channel, address=address, locale=locale,
                            frequency="daily" if address in DAILY else "immediate",
                            link_nonce=secrets.token_hex(8), confirmed_at=utcnow())
    db.session.add(subscriber)
    db.session.flush()
    for topic in topics:
        object_id = 0
        if isinstance(topic, tuple):  # a saved search of the archive: its words
            from portal.blueprints.sessions.links import save_search

            topic, object_id = topic[0], save_search(topic[1])
        db.session.add(Subscription(subscriber_id=subscriber.id, topic=topic,
                                    object_id=object_id))
    db.session.flush()
