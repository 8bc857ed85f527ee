"""News as Atom and RSS feeds: the municipality's, one body's (``?body=sakrebulo``) or one
category's (``?category=roads``). Links come from the configured domains
(``tenancy.links.message_url``), never the request's Host header: the answers are cached."""

from __future__ import annotations

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.blueprints.news import bp, queries
from portal.blueprints.news.models import BODIES
from portal.blueprints.news.views.pages import BODY_LABELS
from portal.db import utcnow
from portal.i18n import localized_plain
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

FEED_CACHE = "public, max-age=300"
ENTRIES = 30
TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _filters():
    body = request.args.get("body")
    if body is not None and body not in BODIES:
        abort(404)
    slug = request.args.get("category")
    category = queries.category_by_slug(slug)
    if slug and category is None:
        abort(404)
    return body, category


def _title(body, category) -> str:
    place = localized_plain(current_tenant.config.short_name)
    if category is not None:
        return _("News: %(place)s, %(category)s", place=place, category=localized_plain(category))
    if body is not None:
        return _("News: %(place)s, %(body)s", place=place, body=str(BODY_LABELS[body]))
    return _("News: %(place)s", place=place)


def _feed(kind: str) -> Response:
    body, category = _filters()
    args = {"body": body, "category": category.slug if category else None}
    items = queries.newest(ENTRIES, body, category)
    self_url = message_url(f"news.feed_{kind}", **args)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(_title(body, category))
    feed.description(_title(body, category))
    feed.author({"name": localized_plain(current_tenant.config.short_name)})
    # RSS takes the last link as the channel's: the page, not the feed itself.
    feed.link(href=self_url, rel="self", type=TYPES[kind])
    feed.link(href=message_url("news.index", **args), rel="alternate", type="text/html")
    feed.language(str(get_locale() or current_tenant.config.default_locale))
    feed.updated(max((_aware(i.updated_at) for i in items), default=utcnow()))
    for item in reversed(items):  # feedgen prepends: the newest ends up first
        link = message_url("news.show", news_item_id=item.id)
        entry = feed.add_entry()
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(localized_plain(item.text("title")))
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(_aware(item.publish_at))
        entry.updated(max(_aware(item.updated_at), _aware(item.publish_at)))
        entry.summary(localized_plain(item.text("summary")) or localized_plain(item.text("title")))
        body, _lang = queries.article_body(item)
        entry.content(str(body), type="CDATA" if kind == "rss" else "html")
        if category := item.category:
            entry.category(term=category.slug, label=localized_plain(category))
    text = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    response = Response(text, mimetype=TYPES[kind])
    response.headers["Cache-Control"] = FEED_CACHE
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/feed.atom")
def feed_atom():
    return _feed("atom")


@bp.get("/feed.rss")
def feed_rss():
    return _feed("rss")
