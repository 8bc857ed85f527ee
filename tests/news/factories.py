"""News' things for the tests and the URL-map walks (see tests/factories.py): items and
categories of a municipality, committed, and a valid form for each editors' POST route."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from portal.blueprints.news import services
from portal.blueprints.news.models import NewsCategory, NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission


def make_category(app, tenant, slug: str = "roads", name_ka: str = "გზები", name_en: str = "Roads") -> int:
    with app.app_context(), tenant_context(tenant):
        category = NewsCategory(slug=slug, name_ka=name_ka, name_en=name_en)
        db.session.add(category)
        db.session.commit()
        return category.id


def make_item(app, tenant, *, title: str = "ქუჩის განათება აღდგა", status: str = "published",
              publish_at=None, body: str = "<p>ტექსტი</p>", **values) -> int:
    """A committed item; published a minute ago unless told otherwise."""
    with app.app_context(), tenant_context(tenant):
        item = NewsItem(title=title, body=body, status=status,
                        publish_at=publish_at or (utcnow() - timedelta(minutes=1) if status == "published" else None),
                        **values)
        db.session.add(item)
        db.session.commit()
        return item.id


def jpeg(width: int = 1000, height: int = 600, *, exif: bool = True) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 200))
    out = io.BytesIO()
    tags = Image.Exif()
    if exif:
        tags[0x010F] = "Camera"
        tags[0x0132] = "2026:12:01 10:00:00"
    image.save(out, "JPEG", exif=tags)
    return out.getvalue()


def with_image(app, tenant, item_id: int) -> None:
    with app.app_context(), tenant_context(tenant):
        item = db.session.get(NewsItem, item_id)
        services.set_image(item, jpeg(), alt="ქუჩა")
        db.session.commit()


@factory("news", "news_item_id")
@factory("news_admin", "news_item_id")
def _item(objects):
    def make():
        item_id = make_item(objects.app, objects.tenant)
        with_image(objects.app, objects.tenant, item_id)
        return item_id
    return objects.once("news_item", make)


@factory("news_admin", "news_category_id")
def _category(objects):
    return objects.once("news_category", lambda: make_category(objects.app, objects.tenant))


def _item_form(**values) -> dict:
    return {"title": "ახალი ამბავი", "title_en": "", "body_kind": "city_hall", "category_id": "",
            "summary": "", "summary_en": "", "body": "<p>ტექსტი</p>", "body_en": "", "image_alt": "",
            "image_alt_en": "", "publish_at": "", "action": "save", **values}


@submission("news_admin.new")
def _new(objects, client):
    return _item_form()


@submission("news_admin.edit")
def _edit(objects, client):
    return _item_form(title="შეცვლილი სათაური", image_alt="ქუჩა")


def _set_status(objects, status: str, pinned: bool = False) -> dict:
    from sqlalchemy import update

    item_id = int(objects.value("news_admin", "news_item_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(NewsItem).where(NewsItem.id == item_id)
                           .values(status=status, is_pinned=pinned, publish_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    return {}


@submission("news_admin.publish")
def _publish(objects, client):
    return _set_status(objects, "draft")


@submission("news_admin.unpublish")
def _unpublish(objects, client):
    return _set_status(objects, "published")


@submission("news_admin.pin")
def _pin(objects, client):
    return _set_status(objects, "published")


@submission("news_admin.unpin")
def _unpin(objects, client):
    return _set_status(objects, "published", pinned=True)


@submission("news_admin.delete")
def _delete(objects, client):
    return {}


@submission("news_admin.categories")
def _new_category(objects, client):
    return {"name_ka": "კულტურა", "name_en": "Culture", "slug": "culture", "position": "1"}


@submission("news_admin.edit_category")
def _edit_category(objects, client):
    return {"name_ka": "გზები და ხიდები", "name_en": "Roads and bridges", "slug": "roads", "position": "0"}


@submission("news_admin.delete_category")
def _delete_category(objects, client):
    return {}
