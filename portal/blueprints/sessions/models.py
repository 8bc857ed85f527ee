"""The council archive: bodies, members, sessions, agenda, documents, recordings, transcripts.

The search index over these rows is not mapped here: it lives in dialect-specific tables
(``search_*``) maintained by ``portal.blueprints.sessions.search``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow

SESSION_STATUSES = ("scheduled", "live", "held", "cancelled")
SESSION_KINDS = ("regular", "extraordinary", "committee", "hearing")
DOCUMENT_KINDS = ("agenda", "minutes", "decision", "other")
TEXT_STATUSES = ("pending", "ready", "failed")
BODY_KINDS = ("council", "committee")
SOURCES = ("youtube", "facebook", "upload")
LIVE_STATUSES = ("none", "upcoming", "live", "was_live")


class Body(TenantOwned, Timestamped, Model):
    """The Sakrebulo itself or one of its committees."""

    __tablename__ = "council_bodies"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60))
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    #: "council" for the Sakrebulo, "committee" for its committees.
    kind: Mapped[str] = mapped_column(String(20), default="committee")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Member(TenantOwned, Timestamped, Model):
    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    party: Mapped[str] = mapped_column(String(200), default="")
    faction: Mapped[str] = mapped_column(String(200), default="")
    #: Public office contacts only (the member's published council e-mail and phone).
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    photo_path: Mapped[str | None] = mapped_column(String(300))
    #: How transcripts name this member, so speaker labels link to the member's page.
    speaker_label: Mapped[str] = mapped_column(String(200), default="")
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    activity_report: Mapped[str] = mapped_column(Text, default="")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class Membership(TenantOwned, Model):
    """A member's seat in a body for a term (the Sakrebulo itself, or a committee)."""

    __tablename__ = "council_memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id", "body_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="CASCADE"))
    body_id: Mapped[int] = mapped_column(ForeignKey("council_bodies.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    member: Mapped[Member] = relationship(back_populates="memberships")
    body: Mapped[Body] = relationship()


class CouncilSession(TenantOwned, Timestamped, Model):
    """One sitting of a body; "session" alone would clash with the database session."""

    __tablename__ = "council_sessions"
    # Newest-first lists and the search form's years (a skip scan, queries.years).
    __table_args__ = (Index("ix_council_sessions_tenant_id_starts_at", "tenant_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("council_bodies.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="regular")
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    place: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    body: Mapped[Body] = relationship()
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    recordings: Mapped[list[Recording]] = relationship(back_populates="session")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class AgendaItem(TenantOwned, Model):
    __tablename__ = "council_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_members.id", ondelete="SET NULL"), index=True
    )
    #: Second of the recording where this item starts, when known (from chapters or staff).
    start_seconds: Mapped[int | None] = mapped_column(Integer)

    session: Mapped[CouncilSession] = relationship(back_populates="agenda_items")
    reporter: Mapped[Member | None] = relationship()


class Document(TenantOwned, Timestamped, Model):
    __tablename__ = "council_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="other")
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(300))
    #: Path relative to the instance folder's archive storage (see services.storage).
    storage_path: Mapped[str] = mapped_column(String(400))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: Plain text, indexed for search: read at upload for text files, by the job worker for
    #: PDF and Word (documents.extract_pending).
    text: Mapped[str] = mapped_column(Text, default="")
    #: "pending" (waiting for the worker), "ready" (text read, possibly empty) or "failed"
    #: (refused or stopped by the extraction limits, or unreadable): see TEXT_STATUSES.
    text_status: Mapped[str] = mapped_column(String(10), default="ready", server_default="ready")

    session: Mapped[CouncilSession] = relationship(back_populates="documents")


class Recording(TenantOwned, Timestamped, Model):
    """A video found on YouTube or Facebook (or uploaded), matched to a session or not."""

    __tablename__ = "council_recordings"
    __table_args__ = (UniqueConstraint("tenant_id", "source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    thumbnail_url: Mapped[str] = mapped_column(String(500), default="")
    live_status: Mapped[str] = mapped_column(String(20), default="none")
    #: [{"start": seconds, "title": "..."}] parsed from the description's timestamps.
    chapters: Mapped[list] = mapped_column(JSON, default=list)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="SET NULL"), index=True
    )
    match_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    #: Staff confirmed (or set) the match; the sync never changes a confirmed match.
    is_match_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    has_transcript: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[CouncilSession | None] = relationship(back_populates="recordings")

    @property
    def is_live(self) -> bool:
        return self.live_status == "live"


class TranscriptSegment(TenantOwned, Model):
    __tablename__ = "council_transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("council_recordings.id", ondelete="CASCADE"), index=True
    )
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(10), default="ka")
    #: "captions", "auto" (automatic captions), "upload", "corrected" (staff edited it),
    #: "machine" (speech-to-text: shown as possibly wrong) or "confirmed" (a machine line the
    #: clerk confirmed). See ``MACHINE_ORIGINS``.
    origin: Mapped[str] = mapped_column(String(20), default="captions")


#: Speech-to-text lines: "machine" until the clerk corrects ("corrected") or confirms them.
MACHINE_ORIGINS = ("machine", "confirmed")
TRANSCRIPTION_STATUSES = ("running", "done", "failed", "skipped")


class Transcription(TenantOwned, Model):
    """Speech-to-text of one recording without captions (``recordings/machine.py``): at most
    one row per recording, which is also the claim that keeps two workers from transcribing
    (and paying for) the same recording twice. What it cost and how long it took are the
    clerk's to see in the sync panel."""

    __tablename__ = "council_transcriptions"
    __table_args__ = (UniqueConstraint("tenant_id", "recording_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("council_recordings.id", ondelete="CASCADE"), index=True)
    #: "google" or "command" (``sources/speech``).
    backend: Mapped[str] = mapped_column(String(20))
    #: "running" (claimed), "done", "failed" or "skipped" (captions or a file came first).
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audio_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    billed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    #: billed minutes × the configured price per minute, in ``currency``.
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    #: Wall-clock seconds the work took (audio download, cutting and recognition).
    elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    pieces: Mapped[int] = mapped_column(Integer, default=0)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    #: Why it failed: "client" (4xx), "server" (5xx, unreachable), "command", "audio",
    #: "other" (see ``speech.SpeechError``); ``http_status`` the service's answer.
    failure: Mapped[str] = mapped_column(String(20), default="")
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recording: Mapped[Recording] = relationship()


class Attendance(TenantOwned, Model):
    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("tenant_id", "session_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_members.id", ondelete="CASCADE"), index=True
    )
    #: "present", "absent" or "excused".
    status: Mapped[str] = mapped_column(String(20), default="present")

    session: Mapped[CouncilSession] = relationship(back_populates="attendance")
    member: Mapped[Member] = relationship()


class MemberReport(TenantOwned, Timestamped, Model):
    """A member's activity report for one calendar year (in the municipality's zone): a text
    and/or an attached file, written by the clerk, public once published
    (``council/reports.py``)."""

    __tablename__ = "council_member_reports"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_members.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: HTML cleaned by ``services/sanitize.clean_html`` when saved (and again when shown).
    body: Mapped[str] = mapped_column(Text, default="")
    #: The attached file (``services/uploads``: checked by content, a server-made key).
    file_path: Mapped[str | None] = mapped_column(String(400))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_type: Mapped[str] = mapped_column(String(100), default="")
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    #: Set when the clerk publishes; None while a draft (or after unpublishing).
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    member: Mapped[Member] = relationship()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SyncRun(TenantOwned, Model):
    """One sync of one source for one municipality: what it cost, found and where it stopped."""

    __tablename__ = "council_sync_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: "running", "ok" or "failed"; a "running" row after a crash is resumed from its cursor.
    status: Mapped[str] = mapped_column(String(20), default="running")
    seen: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    quota_units: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    #: Where to continue: the next playlistItems page token or Graph API "after" cursor.
    cursor: Mapped[str | None] = mapped_column(String(500))


class SavedSearch(TenantOwned, Model):
    """A search of the archive someone asked to hear about ("tell me when the Sakrebulo
    discusses the port"): its subscribers are the subscriptions topic ``sessions.search``
    with this row's id (``search_alerts.py``). One row per query and municipality.

    The ``seen_*`` ids are the watermark: rows of the archive up to them were looked at
    (a session, agenda item, document or transcript line above it is new)."""

    __tablename__ = "council_saved_searches"
    __table_args__ = (UniqueConstraint("tenant_id", "terms"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As the person typed it (shown on the manage page and in the messages).
    query: Mapped[str] = mapped_column(String(100))
    #: The normalised search terms, space-separated: the same search is saved once.
    terms: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_session_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_agenda_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_document_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_segment_id: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SavedSearchMatch(TenantOwned, Model):
    """A thing a saved search was sent about: at most once ever (the unique key), whichever
    worker or rerun finds it again."""

    __tablename__ = "council_search_sent"
    __table_args__ = (UniqueConstraint("tenant_id", "saved_search_id", "thing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("council_saved_searches.id", ondelete="CASCADE"), index=True)
    #: "session:12", "agenda:40", "document:7" or "line:<recording>:<milliseconds>" (a line
    #: fetched again with the transcript is the same line).
    thing: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
