"""The daily digest: one e-mail a day to subscribers who chose it, listing the notices of
their topics from the last day (staff broadcasts are not held back: they went at once).

``send_digests`` walks the daily subscribers in keyset batches (their topics read once per
batch) and queues at most one message per subscriber and day (the outbox key
``subscriptions.digest:<day>:<subscriber>``), so a rerun the same day sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.subscriptions import tokens
from portal.blueprints.subscriptions.models import Notice, Subscriber, Subscription
from portal.db import utcnow
from portal.extensions import db
from portal.services.outbox import queue_email
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

BATCH = 500


def send_digests(now: datetime | None = None) -> int:
    """Queue today's digests of the current municipality; returns how many. Flushes."""
    now = now or utcnow()
    notices = list(db.session.scalars(select(Notice).where(
        Notice.kind == "notice", Notice.created_at >= now - timedelta(days=1),
        Notice.created_at < now).order_by(Notice.id)))
    if not notices:
        return 0
    by_topic: dict[tuple[str, int], list[Notice]] = {}
    for notice in notices:
        by_topic.setdefault((notice.topic, notice.object_id), []).append(notice)
    queued, after = 0, 0
    while True:
        batch = list(db.session.scalars(select(Subscriber).where(
            Subscriber.frequency == "daily", Subscriber.channel == "email",
            Subscriber.confirmed_at.is_not(None), Subscriber.id > after)
            .order_by(Subscriber.id).limit(BATCH)))
        if not batch:
            return queued
        topics: dict[int, list[tuple[str, int]]] = {}
        for subscriber_id, topic, object_id in db.session.execute(
                select(Subscription.subscriber_id, Subscription.topic, Subscription.object_id)
                .where(Subscription.subscriber_id.in_([s.id for s in batch]))):
            topics.setdefault(subscriber_id, []).append((topic, object_id))
        for subscriber in batch:
            mine = sorted({n.id: n for choice in topics.get(subscriber.id, [])
                           for n in by_topic.get(choice, [])}.values(), key=lambda n: n.id)
            if mine:
                _queue_digest(subscriber, mine, now)
                queued += 1
        after = batch[-1].id


def _queue_digest(subscriber: Subscriber, notices: list[Notice], now: datetime) -> None:
    from portal.i18n import localized_plain

    locale = subscriber.locale
    with force_locale(locale):
        lines = [f"{_words(n.subject, locale)}{' — ' + n.url if n.url else ''}" for n in notices]
        queue_email(
            to=subscriber.address, template="subscription", locale=locale,
            idempotency_key=f"subscriptions.digest:{now:%Y-%m-%d}:{subscriber.id}",
            subscription_token=tokens.manage_token(subscriber),
            context={"title": _("News of the day from %(name)s",
                                name=localized_plain(current_tenant.config.name)),
                     "lines": lines, "action_url": "",
                     "manage_url": message_url("subscriptions.manage",
                                               subscriber_token=tokens.manage_token(subscriber))})


def _words(words: dict, locale: str) -> str:
    return words.get(locale) or words.get("ka") or ""
