"""Subscribers, their topics, and the notices (a feature's news or a staff broadcast) sent to
them.

A subscriber is one contact (an e-mail address, or a phone number confirmed with a code) of
one municipality; it receives nothing until confirmed. Leaving deletes the row and its topics.
A notice is written once and delivered by a job in batches (``delivery.py``): each subscriber
gets at most one message per notice and channel (the outbox's idempotency key says so).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, utcnow

CHANNELS = ("email", "sms")
#: How often an e-mail subscriber hears: each notice at once, or one digest a day (staff
#: broadcasts always go at once).
FREQUENCIES = ("immediate", "daily")


class Subscriber(TenantOwned, Model):
    __tablename__ = "subscribers"
    __table_args__ = (UniqueConstraint("tenant_id", "channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    #: The normalised e-mail address, or the phone number in E.164.
    address: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")
    #: Random; the manage link's signature covers it, so a new one ends old links.
    link_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Subscription(TenantOwned, Model):
    """One topic (and, for a topic about one thing, that thing's id) of one subscriber."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "subscriber_id", "topic", "object_id"),
        Index("ix_subscriptions_tenant_id_topic", "tenant_id", "topic", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(60))
    #: 0 for a topic about no one thing (so the unique constraint holds on every database).
    object_id: Mapped[int] = mapped_column(Integer, default=0)


class Notice(TenantOwned, Model):
    """What is sent to a topic's subscribers: a feature's news (``kind`` "notice") or a
    staff broadcast ("broadcast"). ``subject`` and ``lines`` hold each language's words."""

    __tablename__ = "subscription_notices"
    __table_args__ = (UniqueConstraint("tenant_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="notice")
    topic: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column(Integer, default=0)
    #: What it is about, once per municipality ("petition:12:event:40"): fired twice, sent once.
    item_key: Mapped[str] = mapped_column(String(120))
    subject: Mapped[dict] = mapped_column(JSON, default=dict)
    lines: Mapped[dict] = mapped_column(JSON, default=dict)
    sms_text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    #: "email", "sms" or "email,sms": which subscribers it goes to.
    channels: Mapped[str] = mapped_column(String(20), default="email")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: queued → sending → sent; the job's keyset cursor over subscriber ids.
    state: Mapped[str] = mapped_column(String(20), default="queued")
    last_subscriber_id: Mapped[int] = mapped_column(Integer, default=0)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: A broadcast scheduled for later: nothing is queued before then.
    send_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SmsReply(TenantOwned, Model):
    """An inbound SMS the provider delivered (``sms_replies.py``), kept by its id so the same
    message delivered twice (a retry, a replay) is acted on once. No number or text is kept;
    rows go after ``sms_replies.KEEP`` (the signature's window is minutes)."""

    __tablename__ = "subscription_sms_replies"
    __table_args__ = (UniqueConstraint("tenant_id", "provider_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_message_id: Mapped[str] = mapped_column(String(100))
    #: "stop" (the number's SMS subscriptions ended) or "ignored" (any other text).
    action: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  index=True)
