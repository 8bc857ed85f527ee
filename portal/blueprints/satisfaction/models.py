"""One row per thing a citizen is (to be) asked about: the invitation, then their answer.

The contact (e-mail or phone) is personal data kept only until the invitation is sent, then
blanked; a keyed hash of it stays so that a person is not asked again within the limit
(``invitations.LIMIT_DAYS``). Ratings and comments carry no name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, utcnow

#: Where an invitation is: waiting for the sending job, sent, or not sent because the person
#: was asked recently (the per-person limit).
STATUSES = ("pending", "sent", "limited")
CHANNELS = ("email", "sms")
#: A comment's moderation: new (staff have not looked), approved (shown on the public
#: summary), hidden (kept out of every list but the hidden one).
COMMENT_STATES = ("new", "approved", "hidden")
RATINGS = (1, 2, 3, 4, 5)


class Invitation(TenantOwned, Model):
    __tablename__ = "satisfaction_invitations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "subject_id"),
        Index("ix_satisfaction_invitations_tenant_id_contact_hash", "tenant_id", "contact_hash"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What was done for the citizen: "letter", "petition", "service" (``invitations.KINDS``).
    kind: Mapped[str] = mapped_column(String(20))
    #: The id of that thing in its feature (negative for the demo's made-up history).
    subject_id: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(10), default="email")
    #: Personal data, blanked once the invitation is sent (or not sent).
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    #: Keyed hash (``crypto.lookup_hash``) of the normalised contact: the per-person limit.
    contact_hash: Mapped[str] = mapped_column(String(64), default="")
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The link stops working after this.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rating: Mapped[int | None] = mapped_column(Integer)
    #: Plain text as the citizen wrote it (shown escaped), at most ``services.MAX_COMMENT``.
    comment: Mapped[str] = mapped_column(Text, default="")
    #: One of COMMENT_STATES when there is a comment, else "".
    comment_state: Mapped[str] = mapped_column(String(10), default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
