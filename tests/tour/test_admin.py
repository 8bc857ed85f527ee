"""The editors' pages: a sight written without JavaScript (a draft) with its photo (checked by
content, metadata gone, sizes made), refusals in English and Georgian (422, nothing saved),
publishing and unpublishing, deleting; every action audited; another municipality's editor can
neither see nor change a sight."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from portal.blueprints.tour.models import Sight
from portal.extensions import db
from portal.services import audit, storage
from portal.tenancy import tenant_context
from tests.projects.factories import jpeg
from tests.staff_fixtures import signed_in
from tests.tour.conftest import BASE, post
from tests.tour.factories import make_sight, sight_form


def _sights(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Sight).order_by(Sight.id)).all()


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id))]


def test_a_new_sight_with_a_photo_is_a_draft(app, editor, client, poti):
    response = post(editor, f"{BASE}/new", sight_form(
        photo=(io.BytesIO(jpeg(2000, 1200)), "IMG_0001.jpg"), photo_alt="ტბა", photo_alt_en="The lake"),
        content_type="multipart/form-data")
    assert response.status_code == 303
    [sight] = _sights(app, poti)
    assert not sight.is_published and sight.category == "natural"
    assert sight.location == '{"type":"Point","coordinates":[41.715,42.105]}'
    assert sorted(sight.image_paths, key=int) == ["400", "800", "1600"]
    with app.app_context():
        stored = storage.read(sight.image_paths["1600"])
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "WEBP" and not picture.getexif() and "exif" not in picture.info
    assert "tour.sight_create" in _actions(app)
    assert client.get(f"/poti/tour/sights/{sight.id}").status_code == 404  # a draft
    page = editor.get(f"{BASE}/{sight.id}")
    assert "42.105, 41.715" in page.text and f"{BASE}/{sight.id}/photo" in page.text
    assert editor.get(f"{BASE}/{sight.id}/photo").mimetype == "image/webp"


def test_bad_input_is_refused_with_clear_messages(app, editor, poti):
    cases = [({"location": "the lighthouse"}, "one “latitude, longitude” pair a line"),
             ({"location": "48.85, 2.35"}, "The place must be in Georgia"),
             ({"location": "42.1, 41.6\n42.2, 41.7"}, "The place must be a single point"),
             ({"location": "{not json"}, "This is not valid GeoJSON."),
             ({"location": ""}, "This field is required."),
             ({"category": "zoo"}, "Not a valid choice"),
             ({"name": ""}, "This field is required."),
             ({"photo": (io.BytesIO(b"%PDF-1.4 not a picture"), "photo.jpg"), "photo_alt": "ფოტო"},
              "The image must be a JPEG, PNG"),
             ({"photo": (io.BytesIO(jpeg()), "photo.jpg")}, "Describe the photo for people who cannot see it.")]
    for values, message in cases:
        response = post(editor, f"{BASE}/new", sight_form(**values), content_type="multipart/form-data")
        assert response.status_code == 422, values
        assert message in response.text, (values, message)
    editor.set_cookie("lang", "ka")
    response = post(editor, f"{BASE}/new", sight_form(location="42.1, 41.6\n42.2, 41.7"))
    assert response.status_code == 422
    assert "ადგილი ერთი წერტილი უნდა იყოს" in response.text
    assert _sights(app, poti) == []
    assert "tour.sight_create" not in _actions(app)


def test_edit_replace_the_photo_publish_unpublish_delete(app, editor, client, poti):
    sight_id = make_sight(app, poti, published=False, photo=True)
    [sight] = _sights(app, poti)
    old_keys = list(sight.image_paths.values())
    response = post(editor, f"{BASE}/{sight_id}", sight_form(
        name="ფოთის შუქურა", category="historical", photo=(io.BytesIO(jpeg(1000, 800)), "new.png"),
        photo_alt="ახალი ფოტო"), content_type="multipart/form-data")
    assert response.status_code == 303
    [sight] = _sights(app, poti)
    assert sight.photo_alt == "ახალი ფოტო" and set(sight.image_paths.values()).isdisjoint(old_keys)
    with app.app_context():
        for key in old_keys:
            try:
                storage.read(key)
            except FileNotFoundError:
                continue
            raise AssertionError(f"{key} is still stored")
    assert post(editor, f"{BASE}/{sight_id}/publish").status_code == 303
    assert client.get(f"/poti/tour/sights/{sight_id}").status_code == 200
    assert post(editor, f"{BASE}/{sight_id}/unpublish").status_code == 303
    assert client.get(f"/poti/tour/sights/{sight_id}").status_code == 404
    assert post(editor, f"{BASE}/{sight_id}/delete").status_code == 303
    assert _sights(app, poti) == []
    actions = _actions(app)
    for action in ("tour.sight_update", "tour.sight_photo", "tour.sight_publish", "tour.sight_unpublish",
                   "tour.sight_delete"):
        assert action in actions, action


def test_another_municipalitys_editor_can_neither_see_nor_change_a_sight(app, editor, staff, poti, abasha):
    theirs = make_sight(app, abasha, name="აბაშის მუზეუმი", photo=True)
    assert editor.get(f"{BASE}/{theirs}").status_code == 404
    assert editor.get(f"{BASE}/{theirs}/photo").status_code == 404
    assert "აბაშის მუზეუმი" not in editor.get(f"{BASE}/").text
    for url in (f"{BASE}/{theirs}", f"{BASE}/{theirs}/unpublish", f"{BASE}/{theirs}/publish",
                f"{BASE}/{theirs}/delete"):
        assert post(editor, url, sight_form(name="შეცვლილი")).status_code == 404, url
    [sight] = _sights(app, abasha)
    assert sight.name == "აბაშის მუზეუმი" and sight.is_published
    # Abasha's editor on Poti's pages holds no role here.
    other = app.test_client()
    signed_in(other, staff(abasha, ["editor"]))
    assert other.get(f"{BASE}/").status_code == 403
    mine = make_sight(app, poti)
    assert other.get(f"/abasha/admin/tour/{mine}").status_code == 404


def test_people_without_the_permission_are_refused(app, staff, poti):
    clerk = app.test_client()
    signed_in(clerk, staff(poti, ["clerk"]))
    assert clerk.get(f"{BASE}/").status_code == 403
