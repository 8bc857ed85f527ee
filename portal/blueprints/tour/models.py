"""A sight of the municipality: a cultural, historical or natural place shown on the tour page,
with its point on the map (GeoJSON, checked by ``services/geometry.py``) and one photo.

A sight is public once published (``is_published``)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped

CATEGORIES = ("cultural", "historical", "natural", "religious")


class Sight(TenantOwned, Timestamped, Model):
    __tablename__ = "tour_sights"
    __table_args__ = (Index("ix_tour_sights_tenant_id_is_published", "tenant_id", "is_published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Plain text; blank lines separate paragraphs.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    category: Mapped[str] = mapped_column(String(20))
    #: A GeoJSON Point (longitude first), as checked text.
    location: Mapped[str] = mapped_column(Text)
    #: The address and how to get there, in words (optional).
    address: Mapped[str] = mapped_column(String(500), default="", server_default="")
    address_en: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: Stored WebP files by width ({"400": key, ...}), or None without a photo; the original's size.
    image_paths: Mapped[dict | None] = mapped_column(JSON)
    width: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    height: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    photo_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    photo_alt_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    def text(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``name``, ``description``, ``address``, ``photo_alt``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}
