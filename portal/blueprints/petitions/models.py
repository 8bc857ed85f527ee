"""Petitions to the Sakrebulo, their dated timeline, their signatures, and the voter counts
the signature threshold comes from.

Signatures hold personal data: the personal number is never stored readable (a keyed hash
finds duplicates, an encrypted copy serves the clerk's export), and names and contacts are
blanked some months after the petition closes (``anonymise.py``), counts kept.
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
from portal.services.crypto import EncryptedString

#: The three forms a local petition takes (Local Self-Government Code).
FORMS = ("draft_resolution", "principles", "request_to_discuss")
#: A petition's life; ``lifecycle.TRANSITIONS`` says which step may follow which.
STATUSES = ("draft", "moderation", "changes_requested", "collecting", "submitted", "on_agenda",
            "decided", "closed_unsuccessful", "rejected")
#: The published list of reasons a moderator may reject a petition for.
REJECTION_REASONS = ("duplicate", "outside_competence", "offensive", "personal_data", "unclear",
                     "other")
#: What the clerk found when checking a sampled signature against the voter list.
VALIDITIES = ("valid", "invalid")


class Petition(TenantOwned, Timestamped, Model):
    __tablename__ = "petitions"
    __table_args__ = (Index("ix_petitions_tenant_id_status", "tenant_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    #: What the Sakrebulo is asked to do.
    requested_action: Mapped[str] = mapped_column(Text, default="")
    form: Mapped[str] = mapped_column(String(30), default="request_to_discuss")
    #: A stored file's path (``services/storage``), when the author attached one.
    attachment_path: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(30), default="draft")
    #: One of REJECTION_REASONS when rejected; the moderator's words beside it.
    rejection_reason: Mapped[str | None] = mapped_column(String(30))
    rejection_note: Mapped[str] = mapped_column(Text, default="")
    collection_opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    collection_closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Signatures needed, fixed when collection opens (1% of the newest voter count).
    threshold: Mapped[int | None] = mapped_column(Integer)
    #: The public count: confirmed signatures added in batches by ``counting.count_confirmed``.
    signature_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: When the petition stopped collecting or was rejected; anonymisation counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The verification sample: its recorded seed and size (``verification.draw_sample``).
    sample_seed: Mapped[int | None] = mapped_column(Integer)
    sample_size: Mapped[int | None] = mapped_column(Integer)
    sample_population: Mapped[int | None] = mapped_column(Integer)
    #: The attachment's name as the author gave it and its type (checked by content).
    attachment_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attachment_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    #: The secret in the author's private co-sponsor link; a new one revokes the old link.
    cosponsor_key: Mapped[str | None] = mapped_column(String(64))
    #: The archive's session the petition is on the agenda of (``sessions.links`` resolves it;
    #: a table name, not an import: features do not import each other's models).
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="SET NULL"), index=True)
    #: The moment of the recording where it was discussed: a transcript line, or seconds.
    session_segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_transcript_segments.id", ondelete="SET NULL"))
    session_seconds: Mapped[int | None] = mapped_column(Integer)
    #: The Sakrebulo's decision, as the clerk recorded it.
    decision_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    events: Mapped[list[PetitionEvent]] = relationship(
        back_populates="petition", order_by="PetitionEvent.occurred_at",
        cascade="all, delete-orphan")


class PetitionEvent(TenantOwned, Model):
    """A dated entry of a petition's public timeline (each status change, and notes)."""

    __tablename__ = "petition_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    #: The status the petition moved to (or "note" for an entry that changes nothing).
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="events")


class Signature(TenantOwned, Model):
    """One person's support of one petition: online (counts once confirmed) or from paper."""

    __tablename__ = "petition_signatures"
    __table_args__ = (
        # One signature per personal number per petition (NULL once anonymised).
        UniqueConstraint("tenant_id", "petition_id", "personal_number_hash"),
        # The counting job's batch: confirmed, not yet counted.
        Index("ix_petition_signatures_counted_at_confirmed_at", "counted_at", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    #: Personal data, blanked by anonymisation.
    full_name: Mapped[str] = mapped_column(String(200), default="")
    #: Keyed HMAC of the 11-digit personal number (``crypto.lookup_hash``): duplicates only.
    personal_number_hash: Mapped[str | None] = mapped_column(String(64))
    #: The personal number encrypted (MultiFernet) for the clerk's export; never shown.
    personal_number: Mapped[str | None] = mapped_column(
        "personal_number_sealed", EncryptedString(255))
    #: As typed (where the confirmation goes), and normalised for duplicate checks.
    email: Mapped[str] = mapped_column(String(320), default="")
    email_normalised: Mapped[str] = mapped_column(String(320), default="", index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    #: The administrative unit the signer named, if any (public support by unit).
    unit: Mapped[str] = mapped_column(String(100), default="")
    is_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    has_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_outcome: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the counting job added it to ``Petition.signature_count``.
    counted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Drawn into the verification sample, and what the clerk found (VALIDITIES).
    is_sampled: Mapped[bool] = mapped_column(Boolean, default=False)
    validity: Mapped[str | None] = mapped_column(String(10))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Keyed hash (``crypto.lookup_hash``) of the network address it was signed from: the
    #: moderators' bursts per address (``bursts.py``); never the address itself.
    address_hash: Mapped[str | None] = mapped_column(String(64))
    #: When a moderator invalidated it (a burst): out of the public count and every list.
    invalidated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The language the signer signed in: the outcome's e-mails speak it (None: the
    #: municipality's own, for paper signatures and those from before it was kept).
    locale: Mapped[str | None] = mapped_column(String(5))


class AuthorProfile(TenantOwned, Timestamped, Model):
    """Who an author is, as the law asks: name, date of birth, personal number and contacts,
    the e-mail confirmed by the sign-in link and the phone by an SMS code (``identity.py``)."""

    __tablename__ = "petition_author_profiles"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    #: As on signatures: a keyed hash finds the same person, the sealed copy serves the clerk.
    personal_number_hash: Mapped[str | None] = mapped_column(String(64))
    personal_number: Mapped[str | None] = mapped_column(
        "personal_number_sealed", EncryptedString(255))
    phone: Mapped[str] = mapped_column(String(30), default="")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    phone_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Cosponsor(TenantOwned, Model):
    """A citizen who joined a draft petition through the author's private link."""

    __tablename__ = "petition_cosponsors"
    __table_args__ = (UniqueConstraint("tenant_id", "petition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VoterCount(TenantOwned, Timestamped, Model):
    """Voters registered in the municipality on a date; the newest sets the threshold."""

    __tablename__ = "petition_voter_counts"
    __table_args__ = (UniqueConstraint("tenant_id", "counted_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    voters: Mapped[int] = mapped_column(Integer)
    counted_on: Mapped[date] = mapped_column(Date)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
