"""What news offers to subscribers (``subscriptions/topics.py``): City Hall news and
Sakrebulo news (``news.<body_kind>``; the keys were fixed there before news was built).

``announce`` is called when an editor publishes an item whose time has come; each item is
announced once, in the subscriber's language where the item has an English title. An item
scheduled for later is not announced (yet): a periodic check would be needed for those.
"""

from __future__ import annotations

from datetime import UTC

from flask_babel import LazyString, get_locale

from portal.blueprints.subscriptions.topics import notify
from portal.db import utcnow
from portal.tenancy.links import message_url


def _in_language(ka: str, en: str) -> LazyString:
    return LazyString(lambda: en if en and str(get_locale()) == "en" else ka)


def announce(item) -> None:
    """Tell the subscribers of the item's body about it, if it is published now (flushes)."""
    at = item.publish_at
    if at is not None and at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    if item.status != "published" or at is None or at > utcnow():
        return
    notify(f"news.{item.body_kind}", item=f"news:{item.id}",
           url=message_url("news.show", news_item_id=item.id),
           subject=_in_language(item.title, item.title_en),
           lines=[_in_language(item.summary, item.summary_en)])
