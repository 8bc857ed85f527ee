"""The public list of news (filters by body and category, pinned first, pages) and an
article with its Open Graph tags; images are served in the widths ``images.py`` made."""

from __future__ import annotations

from datetime import UTC

from flask import Response, abort, request, url_for
from flask_babel import lazy_gettext as _l

from portal.blueprints.news import bp, queries
from portal.blueprints.news.models import BODIES, NewsItem
from portal.blueprints.surveys import polls
from portal.services import storage
from portal.tenancy.links import message_url
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.rendering import render, render_public

PER_PAGE = 12
MAX_PAGE = 1_000
BODY_LABELS = {"city_hall": _l("City Hall"), "sakrebulo": _l("Sakrebulo")}
#: Images never change under a key (a new upload is a new key).
IMAGE_CACHE = "public, max-age=31536000, immutable"


def image_context(endpoint: str = "news.image") -> dict:
    """``image_url(item, width)`` and ``srcset(item)`` for templates; the editors' preview
    takes the images from their own route (a draft's are not public)."""
    def image_url(item: NewsItem, width: int | None = None) -> str | None:
        if not item.image_paths:
            return None
        chosen = width if width and str(width) in item.image_paths else max(map(int, item.image_paths))
        # The key's tail in the address: a new image is a new URL, so the old one may be kept a year.
        return url_for(endpoint, news_item_id=item.id, w=chosen, v=item.image_paths[str(chosen)][-24:-5])

    def srcset(item: NewsItem) -> str:
        return ", ".join(f"{image_url(item, int(w))} {w}w" for w in sorted(item.image_paths or {}, key=int))

    return {"image_url": image_url, "srcset": srcset}


def send_image(item: NewsItem | None):
    """The stored width nearest ``?w`` (the largest when unknown); 404 without an image."""
    if item is None or not item.image_paths:
        abort(404)
    width = int_arg("w", 0, minimum=0, maximum=10_000)
    key = item.image_paths.get(str(width)) or item.image_paths[max(item.image_paths, key=int)]
    try:
        # Read whole (tens of kB): no open file is left to a response nobody closes.
        data = storage.read(key)
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = IMAGE_CACHE
    return response.make_conditional(request)


@bp.get("/")
def index():
    body = request.args.get("body") if request.args.get("body") in BODIES else None
    category = queries.category_by_slug(request.args.get("category"))
    page = paginate(queries.listed(body, category), page_arg(maximum=MAX_PAGE), PER_PAGE)
    args = {"body": body, "category": category.slug if category else None}
    # The list's Open Graph tags: its address from the configured domain, and the first
    # item with a picture lends it (the largest width, as an article's own tags do).
    pictured = next((item for item in page.items if item.image_paths), None)
    og_image = (message_url("news.image", news_item_id=pictured.id, w=max(map(int, pictured.image_paths)))
                if pictured is not None else None)
    return render("news/index.html", block="results", page=page, body=body, category=category,
                  categories=queries.categories(), body_labels=BODY_LABELS,
                  share_url=message_url("news.index", **args), og_image=og_image,
                  og_image_item=pictured,
                  **image_context())


@bp.get("/<int:news_item_id>")
def show(news_item_id: int):
    item = queries.public_item(news_item_id)
    if item is None:
        abort(404)
    return article(item)


def article(item: NewsItem, *, preview: bool = False):
    """The article page (the editors' preview renders the same template, uncached)."""
    body, body_lang = queries.article_body(item)
    # A quick poll named in the text ([poll:<id>]) is shown under it (surveys' public module).
    body, poll = polls.take_shortcode(body)
    published = item.publish_at
    if published is not None and published.tzinfo is None:  # SQLite hands back naive UTC
        published = published.replace(tzinfo=UTC)
    context = {"item": item, "body": body, "body_lang": body_lang, "preview": preview, "poll": poll,
               "published_iso": published.isoformat() if published else None,
               "share_url": message_url("news.show", news_item_id=item.id),
               "og_image": (message_url("news.image", news_item_id=item.id, w=max(map(int, item.image_paths)))
                            if item.image_paths else None),
               "body_labels": BODY_LABELS,
               **image_context("news_admin.image" if preview else "news.image")}
    if preview:
        return render("news/show.html", **context)
    return render_public("news/show.html", **context)


@bp.get("/<int:news_item_id>/image")
def image(news_item_id: int):
    return send_image(queries.public_item(news_item_id))
