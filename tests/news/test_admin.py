"""The editors' pages: write without JavaScript, sanitising, images, publish now or at a time,
pin one item, unpublish, delete, categories; audited; another municipality's ids are 404."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from portal.blueprints.news.models import NewsCategory, NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit, storage
from portal.tenancy import tenant_context
from tests.news.conftest import BASE, post
from tests.news.factories import jpeg, make_category, make_item
from tests.staff_fixtures import signed_in


def _form(**values) -> dict:
    return {"title": "ქუჩის განათება", "title_en": "Street lights", "body_kind": "city_hall",
            "category_id": "", "summary": "", "summary_en": "", "body": "", "body_en": "",
            "image_alt": "", "image_alt_en": "", "publish_at": "", "action": "save", **values}


def _items(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(NewsItem).order_by(NewsItem.id)).all()


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id))]


def test_plain_text_without_javascript_becomes_paragraphs(app, editor, poti):
    response = post(editor, f"{BASE}/new", _form(body="პირველი აბზაცი\nმეორე ხაზი\n\n5 < 6 & 7"))
    assert response.status_code == 303
    [item] = _items(app, poti)
    assert item.status == "draft"
    assert item.body == "<p>პირველი აბზაცი<br>მეორე ხაზი</p><p>5 &lt; 6 &amp; 7</p>"
    assert "news.create" in _actions(app)


def test_editor_html_is_sanitised(app, editor, poti):
    body = ('<p onclick="x()">ტექსტი<script>alert(1)</script></p><img src=x onerror="alert(2)">'
            '<h2>სათაური</h2><a href="javascript:alert(3)">ბმული</a><a href="https://poti.gov.ge">საიტი</a>')
    post(editor, f"{BASE}/new", _form(body=body))
    [item] = _items(app, poti)
    for bad in ("script", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in item.body
    assert "<h2>სათაური</h2>" in item.body and 'rel="noopener noreferrer nofollow"' in item.body


def test_publish_now_and_schedule(app, editor, client, poti):
    post(editor, f"{BASE}/new", _form(body="ტექსტი", action="publish"))
    [now_item] = _items(app, poti)
    assert now_item.status == "published"
    assert client.get(f"/poti/news/{now_item.id}").status_code == 200
    later = (datetime.now(UTC) + timedelta(days=2)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    response = post(editor, f"{BASE}/new", _form(title="დაგეგმილი", body="ტექსტი", action="publish",
                                                publish_at=later))
    assert response.status_code == 303
    scheduled = _items(app, poti)[1]
    assert scheduled.status == "published"
    assert client.get(f"/poti/news/{scheduled.id}").status_code == 404
    page = editor.get(f"{BASE}/?state=scheduled").text
    assert "დაგეგმილი" in page and "Scheduled" in page


def test_publishing_needs_a_text(app, editor, poti):
    response = post(editor, f"{BASE}/new", _form(action="publish"))
    assert response.status_code == 422 and "Write the text before publishing." in response.text
    assert _items(app, poti) == []


def test_image_upload_strips_exif_and_makes_sizes(app, editor, poti):
    data = _form(body="ტექსტი", image_alt="ქუჩა ღამით")
    data["image"] = (io.BytesIO(jpeg(2000, 1200)), "photo.jpg")
    response = post(editor, f"{BASE}/new", data, content_type="multipart/form-data")
    assert response.status_code == 303
    [item] = _items(app, poti)
    assert sorted(item.image_paths, key=int) == ["400", "800", "1600"]
    assert (item.image_width, item.image_height) == (2000, 1200)
    with app.app_context():
        for width, key in item.image_paths.items():
            picture = Image.open(io.BytesIO(storage.read(key)))
            assert picture.format == "WEBP" and picture.width == int(width)
            assert not picture.getexif() and "exif" not in picture.info


def test_image_without_description_or_not_an_image_is_refused(app, editor, poti):
    data = _form(body="ტექსტი")
    data["image"] = (io.BytesIO(jpeg()), "photo.jpg")
    response = post(editor, f"{BASE}/new", data, content_type="multipart/form-data")
    assert response.status_code == 422 and "Describe the image" in response.text
    data = _form(body="ტექსტი", image_alt="ფოტო")
    data["image"] = (io.BytesIO(b"%PDF-1.4 not a picture"), "photo.jpg")
    response = post(editor, f"{BASE}/new", data, content_type="multipart/form-data")
    assert response.status_code == 422 and "must be a JPEG, PNG, WebP or GIF" in response.text
    assert _items(app, poti) == []


def test_images_over_the_limits_are_refused(app):
    from portal.blueprints.news import images

    with pytest.raises(images.ImageRefused):
        images.make_sizes(jpeg() + b"\0" * images.MAX_BYTES)
    bomb = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(bomb, "PNG")  # 50 megapixels in a few kB
    with pytest.raises(images.ImageRefused):
        images.make_sizes(bomb.getvalue())


def test_small_image_keeps_its_width(app, editor, poti):
    item_id = make_item(app, poti)
    data = _form(body="ტექსტი", image_alt="პატარა")
    data["image"] = (io.BytesIO(jpeg(300, 200, exif=False)), "small.png")
    assert post(editor, f"{BASE}/{item_id}", data, content_type="multipart/form-data").status_code == 303
    assert list(_items(app, poti)[0].image_paths) == ["300"]


def test_one_pinned_item(app, editor, client, poti):
    first = make_item(app, poti, title="პირველი")
    second = make_item(app, poti, title="მეორე")
    assert post(editor, f"{BASE}/{first}/pin").status_code == 303
    assert post(editor, f"{BASE}/{second}/pin").status_code == 303
    pinned = {i.title: i.is_pinned for i in _items(app, poti)}
    assert pinned == {"პირველი": False, "მეორე": True}
    draft = make_item(app, poti, status="draft")
    response = post(editor, f"{BASE}/{draft}/pin")
    assert response.status_code == 422 and "Only a published item can be pinned." in response.text
    assert _actions(app).count("news.pin") == 2


def test_unpublish_and_delete(app, editor, client, poti):
    item_id = make_item(app, poti, is_pinned=True)
    assert post(editor, f"{BASE}/{item_id}/unpublish").status_code == 303
    [item] = _items(app, poti)
    assert item.status == "draft" and not item.is_pinned
    assert client.get(f"/poti/news/{item_id}").status_code == 404
    assert editor.get(f"{BASE}/{item_id}/preview").status_code == 200
    assert "cannot be undone" in editor.get(f"{BASE}/{item_id}/delete").text
    assert post(editor, f"{BASE}/{item_id}/delete").status_code == 303
    assert _items(app, poti) == []
    assert {"news.unpublish", "news.delete"} <= set(_actions(app))


def test_categories(app, editor, poti):
    response = post(editor, f"{BASE}/categories/", {"name_ka": "კულტურა", "name_en": "Culture",
                                                    "slug": "culture", "position": "1"})
    assert response.status_code == 303
    taken = post(editor, f"{BASE}/categories/", {"name_ka": "სხვა", "slug": "culture"})
    assert taken.status_code == 422 and "already in use" in taken.text
    bad = post(editor, f"{BASE}/categories/", {"name_ka": "სხვა", "slug": "ქართული"})
    assert bad.status_code == 422
    with app.app_context(), tenant_context(poti):
        category = db.session.scalar(select(NewsCategory))
    item_id = make_item(app, poti, category_id=category.id)
    assert post(editor, f"{BASE}/categories/{category.id}/delete").status_code == 303
    [item] = _items(app, poti)
    assert item.id == item_id and item.category_id is None


def test_another_municipalitys_ids_are_404_for_editors(app, editor, abasha):
    theirs = make_item(app, abasha)
    category = make_category(app, abasha)
    assert editor.get(f"{BASE}/{theirs}").status_code == 404
    assert editor.get(f"{BASE}/{theirs}/preview").status_code == 404
    assert post(editor, f"{BASE}/{theirs}/pin").status_code == 404
    assert post(editor, f"{BASE}/{theirs}/delete").status_code == 404
    assert editor.get(f"{BASE}/categories/{category}").status_code == 404
    assert len(_items(app, abasha)) == 1


@pytest.mark.parametrize("roles", [["clerk"], ["moderator"]])
def test_other_roles_may_not_edit_news(app, staff, poti, roles):
    client = app.test_client()
    signed_in(client, staff(poti, roles))
    assert client.get(f"{BASE}/").status_code == 403


def test_dashboard_counts_scheduled_and_drafts(app, editor, poti):
    make_item(app, poti, status="draft")
    make_item(app, poti, publish_at=utcnow() + timedelta(days=1))
    html = editor.get("/poti/admin/").text
    assert "Scheduled: 1" in html and "Drafts: 1" in html


def test_editor_page_offers_the_rich_text_editor_without_inline_script(app, editor):
    response = editor.get(f"{BASE}/new")
    html = response.text
    assert "data-rich-text" in html and "vendor/squire/squire.js" in html
    assert "<script>" not in html and "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
