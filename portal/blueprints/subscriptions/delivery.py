"""Sending a notice to its topic's subscribers: batch by batch, through the outbox.

``add_notice`` keeps the notice and queues the job ``send_notice`` when the transaction
commits. Each run of the job takes the next ``BATCH`` confirmed subscribers after the
notice's cursor (keyset: never the whole list in memory) and queues one message each, in the
subscriber's language, with its manage link and the one-click unsubscribe headers; the outbox
key ``subscriptions:<notice>:<subscriber>`` makes a repeated batch (a retried job) queue
nothing twice. The run then queues the next one until the list is done.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import exists, func, select

from portal.blueprints.subscriptions import tokens
from portal.blueprints.subscriptions.models import Notice, Subscriber, Subscription
from portal.db import aware, on_commit, utcnow
from portal.extensions import db
from portal.services.outbox import existing_keys, queue_email, queue_sms
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

log = logging.getLogger("portal.subscriptions")

#: Subscribers a run of ``send_notice`` queues messages for.
BATCH = 500
#: A subscription's SMS, link and stop hint included, costs at most this many segments.
SMS_SEGMENTS = 3


def add_notice(topic, *, item: str, subject: dict, lines: dict, url: str = "",
               object_id: int = 0, sms_text: str = "", kind: str = "notice",
               channels: str = "email", author=None,
               send_at: datetime | None = None) -> int | None:
    """Keep a notice for ``topic`` and send it once committed; None when subscriptions are
    off here or ``item`` was announced before. Flushes."""
    if not current_tenant.has_feature("subscriptions"):
        return None
    key = f"{topic.key}:{item}"[:120]
    if db.session.scalar(select(Notice.id).where(Notice.item_key == key)) is not None:
        return None
    if topic.sms and sms_text and "sms" not in channels and kind == "notice":
        channels = "email,sms"
    notice = Notice(kind=kind, topic=topic.key, object_id=object_id, item_key=key,
                    subject=subject, lines=lines, url=url, sms_text=sms_text,
                    channels=channels, author_id=getattr(author, "id", None), send_at=send_at)
    db.session.add(notice)
    db.session.flush()
    start_sending(notice)
    return notice.id


def start_sending(notice: Notice) -> None:
    """Queue ``send_notice`` once the transaction commits (delayed to a scheduled time)."""
    tenant_id, notice_id = current_tenant.id, notice.id
    delay = max(0.0, (aware(notice.send_at) - utcnow()).total_seconds()) if notice.send_at else 0
    on_commit(lambda: _enqueue(tenant_id, notice_id, delay), key=("send_notice", notice_id))


def is_due(notice: Notice, now: datetime | None = None) -> bool:
    return notice.send_at is None or aware(notice.send_at) <= (now or utcnow())



def _enqueue(tenant_id: int, notice_id: int, delay: float = 0) -> None:
    from portal.jobs import enqueue

    try:
        enqueue("send_notice", tenant_id=tenant_id, notice_id=notice_id, delay=delay or None)
    except Exception:  # resume_notices picks it up within ten minutes; never fail the commit
        log.exception("could not queue notice %s of tenant %s", notice_id, tenant_id)


def recipients(topic: str, object_id: int, channels: str):
    """The statement of the confirmed subscribers ``topic`` (and object) reaches."""
    wanted = [c for c in channels.split(",") if c]
    return select(Subscriber).where(
        Subscriber.confirmed_at.is_not(None), Subscriber.channel.in_(wanted),
        exists().where(Subscription.subscriber_id == Subscriber.id,
                       Subscription.topic == topic, Subscription.object_id == object_id))


def usable_channels(channels: str) -> str:
    """``channels`` without SMS where the municipality has no SMS settings."""
    if current_tenant.config.sms is None:
        return ",".join(c for c in channels.split(",") if c != "sms")
    return channels


def count_recipients(topic: str, object_id: int, channels: str) -> int:
    statement = recipients(topic, object_id, usable_channels(channels)).with_only_columns(func.count(Subscriber.id))
    return db.session.scalar(statement.order_by(None)) or 0


def send_batch(notice: Notice, size: int | None = None) -> bool:
    """Queue the next ``size`` (BATCH) subscribers' messages; True when the list is done.
    Flushes."""
    size = size or BATCH
    # Two statements on one table each, so no plan can join the whole list (PostgreSQL with
    # stale statistics nested-looped 100,000 x 100,000 on the EXISTS form): the next ``size``
    # subscriptions of the topic after the cursor (the unique index's order: tenant,
    # subscriber), then those subscribers that are confirmed on a wanted channel.
    ids = list(db.session.scalars(
        select(Subscription.subscriber_id).where(
            Subscription.subscriber_id > notice.last_subscriber_id,
            Subscription.topic == notice.topic, Subscription.object_id == notice.object_id)
        .order_by(Subscription.subscriber_id).limit(size)))
    wanted = [c for c in usable_channels(notice.channels).split(",") if c]
    batch = list(db.session.scalars(select(Subscriber).where(
        Subscriber.id.in_(ids), Subscriber.confirmed_at.is_not(None),
        Subscriber.channel.in_(wanted)).order_by(Subscriber.id))) if ids else []
    # A retried run finds its batch's messages already queued: one look-up for the batch,
    # then each new message is added without its own look-up or flush (one flush below).
    queued = existing_keys([_key(notice, s) for s in batch])
    for subscriber in batch:
        if _key(notice, subscriber) not in queued:
            _queue_one(notice, subscriber)
    notice.queued += len(batch)
    if ids:
        notice.last_subscriber_id = ids[-1]
    done = len(ids) < size
    notice.state = "sent" if done else "sending"
    if done:
        notice.sent_at = utcnow()
    db.session.flush()
    return done


def _key(notice: Notice, subscriber: Subscriber) -> str:
    return f"subscriptions:{notice.id}:{subscriber.id}"


def _queue_one(notice: Notice, subscriber: Subscriber) -> None:
    """Queue ``subscriber``'s message (the caller checked its key is new; no flush)."""
    if subscriber.frequency == "daily" and notice.kind == "notice":
        return  # in tomorrow's digest (digest.py); staff announcements go at once
    key = _key(notice, subscriber)
    locale = subscriber.locale
    token = tokens.manage_token(subscriber)
    manage = message_url("subscriptions.manage", subscriber_token=token)
    if subscriber.channel == "sms":
        text = notice.sms_text or notice.subject.get(locale) or notice.subject.get("ka", "")
        queue_sms(to=subscriber.address, text=sms_body(text, manage, locale),
                  idempotency_key=key, transliterate=True,  # GSM-7: 160 a segment, not 70
                  new_key=True, flush=False)
        return
    with force_locale(locale):
        queue_email(to=subscriber.address, template="subscription", locale=locale,
                    idempotency_key=key, subscription_token=token, new_key=True, flush=False,
                    context={"title": _words(notice.subject, locale),
                             "lines": _words(notice.lines, locale) or [],
                             "action_url": notice.url, "manage_url": manage})


def sms_body(text: str, manage: str, locale: str) -> str:
    """A subscription's SMS in Latin letters: the words, the manage link and how to stop
    (``sms_replies.stop_hint``), in at most SMS_SEGMENTS; long words are cut, never the
    link or the hint."""
    from portal.blueprints.subscriptions.sms_replies import stop_hint
    from portal.services.sms.segments import segment_info, transliterate

    with force_locale(locale):
        hint = stop_hint()
    tail = "\n".join(part for part in (manage, transliterate(hint)) if part)
    words = transliterate(text).strip()
    body = f"{words}\n{tail}"
    if segment_info(body).segments <= SMS_SEGMENTS:
        return body
    words = words[:max(0, SMS_SEGMENTS * 153 - len(tail) - 4)]
    while words and segment_info(f"{words}...\n{tail}").segments > SMS_SEGMENTS:
        words = words[:-1]
    return f"{words.rstrip()}...\n{tail}"


def _words(words: dict, locale: str):
    return words.get(locale) or words.get("ka")


def delivery_counts(notice_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per notice, its outbox messages by state (sent, failed, queued…)."""
    from portal.delivery.models import OutboxMessage

    counts: dict[int, dict[str, int]] = {n: {} for n in notice_ids}
    if not notice_ids:
        return counts
    for notice_id in notice_ids:
        prefix = f"subscriptions:{notice_id}:"
        for state, n in db.session.execute(
                select(OutboxMessage.status, func.count(OutboxMessage.id))
                .where(OutboxMessage.idempotency_key.startswith(prefix, autoescape=True))
                .group_by(OutboxMessage.status)):
            counts[notice_id][state] = n
    return counts
