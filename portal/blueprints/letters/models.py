"""Letters to the mayor and to the Sakrebulo chair, their dated history and staff notes.

A letter holds the writer's contacts (personal data): they are blanked a configurable time
after the letter is closed (``anonymise.py``); subject, text, dates and statuses stay, so the
public statistics still add up; the writer's attachments (``LetterAttachment``) are deleted
with them. The tracking code is never stored readable: only a keyed hash
finds the letter (``writing.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow

#: Whom a letter is written to; each has its own staff inbox and permission.
RECIPIENTS = ("mayor", "chair")
#: A letter's life; ``lifecycle.TRANSITIONS`` says which step may follow which.
STATUSES = ("received", "in_progress", "answered", "forwarded", "closed")
#: What the writer said when asked, 14 days on, whether the answer was useful.
FEEDBACK = ("useful", "acknowledgement", "not_useful")


class Letter(TenantOwned, Timestamped, Model):
    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("tenant_id", "tracking_hash"),
        UniqueConstraint("tenant_id", "submission_key"),
        Index("ix_letters_tenant_id_recipient_status", "tenant_id", "recipient", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The key of the form that sent it (random, made when the form was shown): the same
    #: form sent again (a retry after the answer was cut off) stores no second letter.
    submission_key: Mapped[str | None] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(10))
    #: Keyed hash (``crypto.lookup_hash``) of the tracking code the writer got by e-mail.
    tracking_hash: Mapped[str] = mapped_column(String(64))
    #: The signed-in citizen who wrote it (their "my page"), if any.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Personal data, blanked by anonymisation.
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: The administrative unit named by the writer (Georgian, as in tenant.toml), if any.
    unit: Mapped[str] = mapped_column(String(100), default="")
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    #: The writer's language: every message to them is in it.
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    status: Mapped[str] = mapped_column(String(20), default="received")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The last day of the answer period, in working days (``services/working_days``).
    due_on: Mapped[date] = mapped_column(Date)
    #: First moved to answered or forwarded: the statistics' time to answer ends here.
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Last moved to answered, forwarded or closed; anonymisation counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The answer as sent to the writer (the latest), shown on the tracking page.
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Where the letter was forwarded (another authority), in staff's words.
    forwarded_to: Mapped[str] = mapped_column(String(300), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The writer agreed to publish the letter and its answer without name or contacts.
    wants_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Staff kept it off the public list anyway (personal data in the text, say).
    is_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: One of FEEDBACK, once the writer answered.
    feedback: Mapped[str | None] = mapped_column(String(20))
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    events: Mapped[list[LetterEvent]] = relationship(
        back_populates="letter", order_by="LetterEvent.occurred_at",
        cascade="all, delete-orphan")


class LetterEvent(TenantOwned, Model):
    """A dated step of a letter: a status change, a reply, an assignment or an internal note.
    Only status changes and replies are shown to the writer (``PUBLIC_KINDS``)."""

    __tablename__ = "letter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(
        ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    #: "status", "reply", "assigned" or "note".
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="events")


PUBLIC_KINDS = ("status", "reply")


class LetterAttachment(TenantOwned, Model):
    """A file the writer sent with the letter (``attachments.py``): checked by its content
    (``services/uploads``), stored under a server-made key, shown only to the writer and to the
    recipient's staff, deleted when the letter is anonymised."""

    __tablename__ = "letter_attachments"
    __table_args__ = (UniqueConstraint("tenant_id", "storage_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(
        ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    #: The file store's key (``services/storage``).
    storage_path: Mapped[str] = mapped_column(String(300))
    #: The name the writer gave it (made safe): shown, and the download's name.
    name: Mapped[str] = mapped_column(String(200))
    #: Its type as read from its bytes (``uploads.DOCUMENTS``).
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
