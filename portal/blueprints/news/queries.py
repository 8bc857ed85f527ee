"""What the public sees of news: items whose time has come, pinned first, newest next;
used by the list, the feeds, the home page and the sitemap."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal.blueprints.news.models import BODIES, NewsCategory, NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import current_lang
from portal.services.sanitize import clean_html


def is_visible() -> tuple:
    """Published, and its time has come (a scheduled item appears by itself when due)."""
    return NewsItem.status == "published", NewsItem.publish_at <= utcnow()


def visible() -> Select:
    return select(NewsItem).options(selectinload(NewsItem.category)).where(*is_visible())


def listed(body: str | None = None, category: NewsCategory | None = None) -> Select:
    statement = visible()
    if body in BODIES:
        statement = statement.where(NewsItem.body_kind == body)
    if category is not None:
        statement = statement.where(NewsItem.category_id == category.id)
    return statement.order_by(NewsItem.is_pinned.desc(), NewsItem.publish_at.desc(), NewsItem.id.desc())


def newest(limit: int, body: str | None = None, category: NewsCategory | None = None) -> list[NewsItem]:
    """The newest items by time alone (feeds: a pinned item is not news again)."""
    statement = visible()
    if body in BODIES:
        statement = statement.where(NewsItem.body_kind == body)
    if category is not None:
        statement = statement.where(NewsItem.category_id == category.id)
    return list(db.session.scalars(
        statement.order_by(NewsItem.publish_at.desc(), NewsItem.id.desc()).limit(limit)))


def public_item(news_item_id: int) -> NewsItem | None:
    return db.session.scalar(visible().where(NewsItem.id == news_item_id))


def categories() -> list[NewsCategory]:
    return list(db.session.scalars(
        select(NewsCategory).order_by(NewsCategory.position, NewsCategory.name_ka)))


def category_by_slug(slug: str | None) -> NewsCategory | None:
    if not slug:
        return None
    return db.session.scalar(select(NewsCategory).where(NewsCategory.slug == slug[:60]))


def article_body(item: NewsItem) -> tuple[Markup, str | None]:
    """The body in the page's language (Georgian when there is no translation) and the
    language to mark it with when it differs from the page's. Cleaned again as it is shown:
    the allow-list may have narrowed since the item was saved."""
    if current_lang() != "ka" and item.body_en.strip():
        return clean_html(item.body_en), None
    return clean_html(item.body), ("ka" if current_lang() != "ka" else None)
