"""The topic registry: what one can subscribe to, and how a feature tells its subscribers.

This is the one module of subscriptions other features import (``tests/test_imports.py``).
A feature registers its topics when it is loaded and calls ``notify`` when something happens;
nothing in subscriptions changes for a new feature::

    register_topic(Topic("petitions.new", _l("New petitions"), feature="petitions"))
    notify("petitions.new", item=f"petition:{petition.id}", subject=_l("A new petition"),
           lines=[petition.title], url=message_url("petitions.show", petition_id=petition.id))

A topic about one thing (a given petition) gives ``object_label(object_id)``: the thing's name
in the current municipality, None when it has no such thing (the subscribe form refuses it).
Words are lazy strings (or plain text): ``notify`` renders them in every language the portal
speaks, and each subscriber gets their own. ``notify`` flushes, never commits; the delivery
job is queued when the caller's transaction commits, and a repeated ``item`` sends nothing.

Subscriptions itself registers only the emergency announcements staff broadcast; every
other topic is its feature's (``news/topics.py``, ``petitions/topics.py``,
``projects/topics.py``, ``sessions/topics.py``…, each registered when its blueprint is).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import LazyString, force_locale, get_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Topic:
    key: str
    label: object
    #: The feature it belongs to: hidden where that feature is off.
    feature: str | None = None
    #: Whether it may go by SMS (short, urgent things only).
    sms: bool = False
    #: For a topic about one thing: (object_id) -> its name, or None if there is none here.
    object_label: Callable[[int], str | None] | None = None
    #: Shown on the public subscribe form (a topic about one thing is reached from its page).
    listed: bool = True
    order: int = 50
    #: For a topic about one thing: how many of its things one subscriber may follow.
    most: int | None = None


TOPICS: dict[str, Topic] = {}

#: The emergency announcements staff broadcast (by SMS and e-mail).
EMERGENCY = "emergency"


def register_topic(topic: Topic) -> None:
    """Add or replace ``topic`` (a feature built later replaces its planned entry)."""
    TOPICS[topic.key] = topic


def register_platform_topics() -> None:
    """The topic of subscriptions itself: the emergency announcements."""
    TOPICS.setdefault(EMERGENCY, Topic(EMERGENCY, _l("Emergency announcements"), sms=True, order=0))


def get_topic(key: str) -> Topic | None:
    return TOPICS.get(key)


def available_topics(*, listed_only: bool = False) -> list[Topic]:
    """Topics of the features built and switched on here, in display order (a planned
    feature's topics appear once the feature is registered)."""
    from flask import current_app

    from portal.tenancy import current_tenant

    on = {f.name for f in current_app.extensions["features"].enabled(current_tenant)}
    found = [t for t in TOPICS.values()
             if (t.feature is None or t.feature in on) and (t.listed or not listed_only)]
    return sorted(found, key=lambda t: (t.order, t.key))


def in_language(ka: str, en: str) -> LazyString:
    """A thing's ka/en text, in the language a notice is being written in (Georgian when
    there is no English)."""
    return LazyString(lambda: en if en and str(get_locale()) == "en" else ka)


def in_every_language(text) -> dict[str, str]:
    """A lazy string (or plain text) rendered in each language the portal speaks."""
    from portal.i18n import LOCALES

    words = {}
    for locale in LOCALES:
        with force_locale(locale):
            words[locale] = str(text)
    return words


def notify(topic: str, *, item: str, subject, lines: Iterable = (), url: str = "",
           object_id: int | None = None, sms_text: str = "") -> int | None:
    """Tell ``topic``'s subscribers (of ``object_id`` when the topic is about one thing) about
    ``item``. Returns the notice's id, or None when the topic is unknown, subscriptions are off
    in this municipality or ``item`` was announced before. Flushes, never commits."""
    from portal.blueprints.subscriptions.delivery import add_notice

    known = TOPICS.get(topic)
    if known is None:
        raise LookupError(f"no topic {topic!r}: register_topic it first")
    return add_notice(known, item=item, subject=in_every_language(subject),
                      lines=_lines_in_every_language(lines), url=url,
                      object_id=object_id or 0, sms_text=sms_text)


def subscribed_objects(topic: str) -> set[int]:
    """The ids of ``topic``'s things someone here subscribes to (confirmed or not yet)."""
    from sqlalchemy import select

    from portal.blueprints.subscriptions.models import Subscription
    from portal.extensions import db

    return set(db.session.scalars(
        select(Subscription.object_id).where(Subscription.topic == topic).distinct()))


def _lines_in_every_language(lines: Iterable) -> dict[str, list[str]]:
    from portal.i18n import LOCALES

    lines = list(lines)
    words: dict[str, list[str]] = {}
    for locale in LOCALES:
        with force_locale(locale):
            words[locale] = [str(line) for line in lines if line]
    return words
