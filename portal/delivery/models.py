"""The outbox: one row per message to send, written in the transaction that causes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, utcnow

CHANNELS = ("email", "sms")
#: pending → sending → sent | failed | bounced | in_doubt; pending → held (over the SMS budget)
#: → pending. in_doubt: an e-mail handed to the server by a worker that died before the answer
#: (it may or may not have arrived); never resent by itself, only by staff (→ pending).
STATUSES = ("pending", "sending", "sent", "failed", "bounced", "held", "in_doubt")
#: The statuses a claim looks at: the partial index's predicate, repeated by the claim query
#: word for word so both databases' planners see that the index covers it.
OPEN_STATUSES = ("pending", "sending")
#: The same predicate as SQL, for the partial index (a migration keeps its own frozen copy).
OPEN_SQL = "status IN ({})".format(", ".join(f"'{status}'" for status in OPEN_STATUSES))


class OutboxMessage(TenantOwned, Timestamped, Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        # Due messages by status and time (the delivery page's counts, the next retry).
        Index("ix_outbox_messages_due", "tenant_id", "channel", "status", "next_attempt_at"),
        # The claim query: one municipality's open messages of one channel in id order. Partial,
        # so it holds only what is waiting or being sent: without it every claim walked all the
        # channel's sent messages, a cost that grew with the outbox (the soak found it).
        Index("ix_outbox_messages_open", "tenant_id", "channel", "id",
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
        # Rate limits and budgets count what was sent recently.
        Index("ix_outbox_messages_sent", "tenant_id", "channel", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    #: An e-mail address or an E.164 phone number without "+" (personal data: purge with
    #: the rest of the message after the retention period).
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: The link token of an account e-mail, encrypted; subject and bodies hold a placeholder
    #: instead (delivery/sealing.py). Dropped once the message is sent or has failed.
    secret_sealed: Mapped[str | None] = mapped_column(Text)
    #: RFC 8058 one-click unsubscribe URL (e-mail of a subscription only).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    #: Unique per municipality; also the e-mail Message-ID seed and the SMS client reference.
    idempotency_key: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: While status is "sending": the worker holding it owns it until then.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    #: Set (and committed) just before the provider can first have accepted the message:
    #: a worker that finds it set on an expired lease knows the outcome is in doubt.
    handed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    #: SMS only: GSM-7 or UCS-2, segments, and cost in tetri (1/100 GEL) at enqueue time.
    encoding: Mapped[str | None] = mapped_column(String(5))
    segments: Mapped[int | None] = mapped_column(Integer)
    cost_tetri: Mapped[int | None] = mapped_column(Integer)
    #: Staff approved sending beyond the monthly SMS budget.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The provider's delivery report (SMS: delivered, undelivered, ...), when it has one.
    delivery_status: Mapped[str | None] = mapped_column(String(20))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel} {self.status}>"
