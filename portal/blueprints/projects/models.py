"""Infrastructure projects, their dated updates (the timeline) and the updates' photos.

A project is public once published (``is_published``); its updates and photos are public with
it. Money is kept in minor units (tetri) beside its currency; the place is a GeoJSON geometry
(a Point or a LineString, checked by ``geometry.py``) with a description in words.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship

STATUSES = ("planned", "in_progress", "completed", "suspended")
CURRENCY = "GEL"


class Project(TenantOwned, Timestamped, Model):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_tenant_id_is_published", "tenant_id", "is_published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Plain text; blank lines separate paragraphs.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: A GeoJSON geometry (Point or LineString, longitude first), as checked text.
    location: Mapped[str] = mapped_column(Text)
    #: Where it is, in words (the page without a map says it all).
    place: Mapped[str] = mapped_column(String(300), default="", server_default="")
    place_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: The administrative unit's Georgian name (from tenant.toml's ``facts.units``), or "".
    unit: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contractor: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Budget and amount spent in minor units (tetri) of ``currency``.
    budget_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    spent_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default=CURRENCY, server_default=CURRENCY)
    starts_on: Mapped[date | None] = mapped_column(Date)
    #: The planned end.
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="planned")
    percent_complete: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: When it was first published (announced once).
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    updates: Mapped[list[ProjectUpdate]] = relationship(
        "ProjectUpdate", back_populates="project", cascade="all, delete-orphan",
        order_by="(ProjectUpdate.happened_on.desc(), ProjectUpdate.id.desc())")

    def text(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``title``, ``description``, ``place``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class ProjectUpdate(TenantOwned, Timestamped, Model):
    __tablename__ = "project_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text, default="", server_default="")

    project: Mapped[Project] = relationship(Project, back_populates="updates")
    photos: Mapped[list[ProjectPhoto]] = relationship(
        "ProjectPhoto", back_populates="update", cascade="all, delete-orphan",
        order_by="ProjectPhoto.id")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class ProjectPhoto(TenantOwned, Model):
    __tablename__ = "project_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("project_updates.id", ondelete="CASCADE"), index=True)
    #: Stored WebP files by width ({"400": key, ...}); the original's size.
    image_paths: Mapped[dict] = mapped_column(JSON)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt: Mapped[str] = mapped_column(String(300))
    alt_en: Mapped[str] = mapped_column(String(300), default="", server_default="")

    update: Mapped[ProjectUpdate] = relationship(ProjectUpdate, back_populates="photos")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}
