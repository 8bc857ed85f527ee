"""The register of public documents (issue 15): a document (its category, number, date, the
body that issued it, words in Georgian and English) and its files, one version a row.

A new version replaces the file shown and downloaded; older versions stay listed with their
dates. Each version keeps the text read from its file (``text_status`` pending → ready or
failed, read by the job worker); the current version's text is in the archive's search index.
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship

#: Fixed categories (labels in ``labels.py``); letters only: they are search filter tokens.
CATEGORIES = ("budget", "execution", "resolution", "ordinance", "order", "strategy", "audit",
              "procurement", "report")
#: Who issued it.
ISSUERS = ("cityhall", "sakrebulo")
TEXT_STATUSES = ("pending", "ready", "failed")


class PublicDocument(TenantOwned, Timestamped, Model):
    __tablename__ = "public_documents"
    __table_args__ = (Index("ix_public_documents_tenant_id_listed", "tenant_id", "is_published",
                            "adopted_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    issuer: Mapped[str] = mapped_column(String(20))
    #: As the body numbers it ("12", "01-245/ბ").
    number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    adopted_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    versions: Mapped[list[DocumentVersion]] = relationship(
        "DocumentVersion", back_populates="document", cascade="all, delete-orphan",
        order_by="DocumentVersion.number.desc()")

    def text(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``title``, ``description``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions[0] if self.versions else None


class DocumentVersion(TenantOwned, Timestamped, Model):
    __tablename__ = "public_document_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("public_documents.id", ondelete="CASCADE"), index=True)
    #: 1, 2, ...: the highest is the current file.
    number: Mapped[int] = mapped_column(Integer)
    #: The name the file was uploaded with (made safe): the download's name.
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300))
    #: What changed, in the editor's words (shown beside the old versions).
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: The file's text for the search index; read by the job worker.
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")

    document: Mapped[PublicDocument] = relationship(PublicDocument, back_populates="versions")
