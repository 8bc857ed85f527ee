"""What news offers to subscribers (``subscriptions/topics.py``): City Hall news and
Sakrebulo news (``news.<body_kind>``), registered with the blueprint (``register``).

``announce`` is called when an editor publishes an item whose time has come; an item
scheduled for later is announced by the periodic job ``announce_scheduled_news`` once its
time comes (``announce_due``). Each item is announced once: ``announced_at`` is claimed by a
conditional UPDATE (a second worker finds it taken), and the notice's key
``news:<id>`` is unique in subscriptions as the last line. An item unpublished, or moved
later, before its time is not announced. Words go in the subscriber's language where the
item has an English title.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.blueprints.subscriptions.topics import Topic, in_language, notify, register_topic
from portal.db import aware, utcnow
from portal.extensions import db
from portal.tenancy.links import message_url

#: Items a run of the job announces at most (the rest on the next run).
DUE_BATCH = 50


def register() -> None:
    register_topic(Topic("news.city_hall", _l("City Hall news"), feature="news", order=10))
    register_topic(Topic("news.sakrebulo", _l("Sakrebulo news"), feature="news", order=11))


def announce(item) -> None:
    """Tell the subscribers of the item's body about it, if it is published now and was not
    announced before (flushes)."""
    now = utcnow()
    at = aware(item.publish_at)
    if item.status != "published" or at is None or at > now or item.announced_at is not None:
        return
    if _claim(item.id, now):
        _notify(item)


def announce_due(now: datetime | None = None) -> int:
    """Announce the current municipality's published items whose time has come and that
    were not announced yet; returns how many. Flushes."""
    from portal.blueprints.news.models import NewsItem

    now = now or utcnow()
    due = list(db.session.scalars(select(NewsItem.id).where(
        NewsItem.status == "published", NewsItem.publish_at <= now,
        NewsItem.announced_at.is_(None)).order_by(NewsItem.publish_at, NewsItem.id)
        .limit(DUE_BATCH)))
    told = 0
    for item_id in due:
        if _claim(item_id, now):
            _notify(db.session.get(NewsItem, item_id))
            told += 1
    return told


def _claim(item_id: int, now: datetime) -> bool:
    """Mark the item announced unless someone did (or it was unpublished) meanwhile: the
    row's lock makes a second worker wait here and then find it taken."""
    from portal.blueprints.news.models import NewsItem

    claimed = db.session.execute(
        update(NewsItem).where(NewsItem.id == item_id, NewsItem.announced_at.is_(None),
                               NewsItem.status == "published", NewsItem.publish_at <= now)
        .values(announced_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    item = db.session.get(NewsItem, item_id)
    if item is not None:
        db.session.refresh(item, ["announced_at"])
    return True


def _notify(item) -> None:
    notify(f"news.{item.body_kind}", item=f"news:{item.id}",
           url=message_url("news.show", news_item_id=item.id),
           subject=in_language(item.title, item.title_en),
           lines=[in_language(item.summary, item.summary_en)])
