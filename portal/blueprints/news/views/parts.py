"""What news adds to the municipality's home page and to its sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.news import queries
from portal.blueprints.news.models import NewsItem
from portal.blueprints.news.views.pages import BODY_LABELS, image_context
from portal.extensions import db


def news_home() -> dict:
    """The pinned item (if any) and the newest, three in all."""
    items = list(db.session.scalars(queries.listed().limit(3)))
    return {"latest": items, "body_labels": BODY_LABELS, **image_context()}


def news_pages():
    yield "news.index", {}
    for news_item_id in db.session.scalars(
            select(NewsItem.id).where(*queries.is_visible()).order_by(NewsItem.id.desc())):
        yield "news.show", {"news_item_id": news_item_id}
