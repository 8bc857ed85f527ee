"""Verbs on news: write, illustrate, publish (now or at a time), unpublish, pin, delete, and
the categories. They flush, never commit, and raise ``NewsError`` with the form field the
refusal is about; the views record the audit entry and commit once."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.blueprints.news import images
from portal.blueprints.news.models import BODIES, NewsCategory, NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.services import storage
from portal.services.errors import DomainError
from portal.services.sanitize import text_or_html
from portal.tenancy import current_tenant

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class NewsError(DomainError):
    """A news rule refused the change."""


def body_html(raw: str | None) -> str:
    """The editor's HTML cleaned, or plain text (a browser without JavaScript) made into
    paragraphs (``services/sanitize.text_or_html``)."""
    return text_or_html(raw)


def item_values(item: NewsItem) -> dict:
    """What the audit log keeps of an item (no body: it can be long; its length instead)."""
    return {"title": item.title, "title_en": item.title_en, "body_kind": item.body_kind,
            "category_id": item.category_id, "status": item.status,
            "publish_at": item.publish_at.isoformat() if item.publish_at else None,
            "is_pinned": item.is_pinned, "body_length": len(item.body or ""),
            "image": bool(item.image_paths), "image_alt": item.image_alt}


def save_item(item: NewsItem | None, *, title: str, title_en: str = "", summary: str = "",
              summary_en: str = "", body: str = "", body_en: str = "", body_kind: str = "city_hall",
              category_id: int | None = None) -> NewsItem:
    """Create or change an item's words; the bodies are cleaned here."""
    title = (title or "").strip()
    if not title:
        raise NewsError(_l("Write a title."), "title")
    if body_kind not in BODIES:
        raise NewsError(_l("Choose whose news it is."), "body_kind")
    if category_id is not None and db.session.get(NewsCategory, category_id) is None:
        raise NewsError(_l("Choose a category from the list."), "category_id")
    if item is None:
        item = NewsItem(status="draft")
        db.session.add(item)
    item.title, item.title_en = title, (title_en or "").strip()
    item.summary, item.summary_en = (summary or "").strip(), (summary_en or "").strip()
    item.body, item.body_en = body_html(body), body_html(body_en)
    item.body_kind, item.category_id = body_kind, category_id
    db.session.flush()
    return item


def set_image(item: NewsItem, data: bytes | None, *, alt: str = "", alt_en: str = "") -> None:
    """Make and store the sizes of a new main image (``data``), or remove it (``data`` None
    and no alt text kept); an image needs its Georgian alt text. Old files go on commit."""
    alt, alt_en = (alt or "").strip(), (alt_en or "").strip()
    if data is not None:
        if not alt:
            raise NewsError(_l("Describe the image for people who cannot see it."), "image_alt")
        made = images.make_sizes(data)
        paths = {}
        for width, webp in made.files.items():
            key, _safe = storage.save(current_tenant.slug, f"news-{item.id}-{width}.webp", webp)
            storage.unlink_on_rollback(key)
            paths[str(width)] = key
        _forget_image(item)
        item.image_paths, item.image_width, item.image_height = paths, made.width, made.height
    elif item.image_paths and not alt:
        raise NewsError(_l("Describe the image for people who cannot see it."), "image_alt")
    item.image_alt, item.image_alt_en = alt, alt_en
    db.session.flush()


def remove_image(item: NewsItem) -> None:
    _forget_image(item)
    item.image_paths = item.image_width = item.image_height = None
    item.image_alt = item.image_alt_en = ""
    db.session.flush()


def _forget_image(item: NewsItem) -> None:
    if item.image_paths:
        storage.unlink_on_commit(*item.image_paths.values())


def publish(item: NewsItem, at: datetime | None = None) -> None:
    """Publish now, or at ``at`` (an aware time; in the future: scheduled)."""
    if not item.body.strip():
        raise NewsError(_l("Write the text before publishing."), "body")
    item.status = "published"
    item.publish_at = at or utcnow()
    db.session.flush()


def unpublish(item: NewsItem) -> None:
    """Back to a draft (and no longer pinned)."""
    item.status = "draft"
    item.is_pinned = False
    db.session.flush()


def pin(item: NewsItem) -> None:
    """Make ``item`` the one pinned item of the municipality (unpinning the previous one)."""
    if item.status != "published":
        raise NewsError(_l("Only a published item can be pinned."))
    db.session.execute(update(NewsItem).where(NewsItem.is_pinned.is_(True), NewsItem.id != item.id)
                       .values(is_pinned=False).execution_options(synchronize_session="fetch"))
    db.session.flush()
    item.is_pinned = True
    db.session.flush()


def unpin(item: NewsItem) -> None:
    item.is_pinned = False
    db.session.flush()


def delete_item(item: NewsItem) -> None:
    _forget_image(item)
    db.session.delete(item)
    db.session.flush()


def category_values(category: NewsCategory) -> dict:
    return {"slug": category.slug, "name_ka": category.name_ka, "name_en": category.name_en,
            "position": category.position}


def save_category(category: NewsCategory | None, *, slug: str, name_ka: str, name_en: str = "",
                  position: int = 0) -> NewsCategory:
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise NewsError(_l("Use lower-case Latin letters, digits and hyphens (e.g. finance)."), "slug")
    if not (name_ka or "").strip():
        raise NewsError(_l("Write the name in Georgian."), "name_ka")
    taken = select(NewsCategory.id).where(NewsCategory.slug == slug)
    if category is not None:
        taken = taken.where(NewsCategory.id != category.id)
    if db.session.scalar(taken) is not None:
        raise NewsError(_l("This address is already in use."), "slug")
    if category is None:
        category = NewsCategory()
        db.session.add(category)
    category.slug, category.name_ka = slug, name_ka.strip()
    category.name_en, category.position = (name_en or "").strip(), position or 0
    db.session.flush()
    return category


def delete_category(category: NewsCategory) -> None:
    """Delete a category; its items stay, without one."""
    db.session.execute(update(NewsItem).where(NewsItem.category_id == category.id)
                       .values(category_id=None).execution_options(synchronize_session="fetch"))
    db.session.delete(category)
    db.session.flush()
