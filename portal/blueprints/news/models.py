"""News items and their categories.

Visibility is a query, not a job: an item is public when its status is ``published`` and its
``publish_at`` has come (``queries.visible``). "Scheduled" is a published item whose time has
not come yet, so nothing has to flip it and a stopped worker cannot delay it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
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

#: Whose news it is.
BODIES = ("city_hall", "sakrebulo")
#: What is stored; "scheduled" is shown for a published item whose time has not come.
STATUSES = ("draft", "published")


class NewsCategory(TenantOwned, Model):
    __tablename__ = "news_categories"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The category's part of a feed's or filter's address (Latin letters, digits, hyphens).
    slug: Mapped[str] = mapped_column(String(60))
    name_ka: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def ka(self) -> str:
        return self.name_ka

    @property
    def en(self) -> str:
        return self.name_en


class NewsItem(TenantOwned, Timestamped, Model):
    __tablename__ = "news_items"
    __table_args__ = (
        Index("ix_news_items_tenant_id_status_publish_at", "tenant_id", "status", "publish_at"),
        # One pinned item per municipality; the service unpins the old one first.
        Index("uq_news_items_pinned", "tenant_id", unique=True,
              sqlite_where=text("is_pinned"), postgresql_where=text("is_pinned")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_kind: Mapped[str] = mapped_column(String(20), default="city_hall")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("news_categories.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: HTML, cleaned by ``services/sanitize.clean_html`` when saved (and again when shown).
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: When a published item becomes public (UTC); in the future: scheduled.
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the body's subscribers were told (``topics.announce``); set once, never cleared,
    #: so an item is announced once even if it is unpublished and published again.
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: The main image: stored WebP files by width ({"400": key, ...}), the original's size.
    image_paths: Mapped[dict | None] = mapped_column(JSON)
    image_width: Mapped[int | None] = mapped_column(Integer)
    image_height: Mapped[int | None] = mapped_column(Integer)
    image_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    image_alt_en: Mapped[str] = mapped_column(String(300), default="", server_default="")

    category: Mapped[NewsCategory | None] = relationship(NewsCategory)

    def text(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``title``, ``summary``, ``image_alt``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}
