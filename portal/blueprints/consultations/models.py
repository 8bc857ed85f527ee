"""Public consultations, their sections and draft documents, and the comments citizens send.

A consultation is public once published; comments are taken between ``opens_at`` and
``closes_at`` (the municipality's clock, stored in UTC). A comment is kept hidden until its
e-mail address is confirmed and a moderator publishes it; the municipality's answer shows under
it and the summary (``outcome``) on the consultation's page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship

KINDS = ("budget", "strategy", "other")
COMMENT_STATUSES = ("unconfirmed", "pending", "published", "rejected")


class Consultation(TenantOwned, Timestamped, Model):
    __tablename__ = "consultations"
    __table_args__ = (Index("ix_consultations_tenant_id_is_published", "tenant_id", "is_published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    #: Plain text; blank lines separate paragraphs.
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The comment period (aware UTC; typed on the municipality's clock).
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: When it was first published (announced once).
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The summary after the period: what was received, what changed (plain text).
    outcome: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sections: Mapped[list[ConsultationSection]] = relationship(
        "ConsultationSection", back_populates="consultation", cascade="all, delete-orphan",
        order_by="ConsultationSection.position")
    documents: Mapped[list[ConsultationDocument]] = relationship(
        "ConsultationDocument", back_populates="consultation", cascade="all, delete-orphan",
        order_by="ConsultationDocument.id")

    def text(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``title``, ``summary``, ``outcome``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class ConsultationSection(TenantOwned, Model):
    """A chapter of the draft that comments can refer to."""

    __tablename__ = "consultation_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")

    consultation: Mapped[Consultation] = relationship(Consultation, back_populates="sections")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class ConsultationDocument(TenantOwned, Model):
    """A draft document, checked by its content when uploaded (``services/uploads``)."""

    __tablename__ = "consultation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    storage_path: Mapped[str] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    consultation: Mapped[Consultation] = relationship(Consultation, back_populates="documents")


class ConsultationComment(TenantOwned, Timestamped, Model):
    __tablename__ = "consultation_comments"
    __table_args__ = (Index("ix_consultation_comments_tenant_id_status", "tenant_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_sections.id", ondelete="SET NULL"), index=True)
    #: The name the commenter gave (personal data; shown only when ``show_name``).
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    show_name: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    #: Where the confirmation link and the answer go (personal data, never shown publicly).
    email: Mapped[str] = mapped_column(String(254))
    #: The language the commenter wrote in: the answer's e-mail speaks it.
    locale: Mapped[str] = mapped_column(String(5), default="ka", server_default="ka")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="unconfirmed", server_default="unconfirmed")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Why a moderator rejected it (staff only).
    reject_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The staff's own notes (never shown publicly).
    staff_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The municipality's public answer, in the commenter's language.
    answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    consultation: Mapped[Consultation] = relationship(Consultation)
    section: Mapped[ConsultationSection | None] = relationship(ConsultationSection)
