"""The editors' pages: a project written without JavaScript (a draft), refusals in Georgian
and English (422, nothing saved), publishing (announced once), updates with a photo (checked
by content, metadata gone, sizes made; announced to the project's subscribers), deleting an
update; every action audited; another municipality's projects are 404 and stay as they were."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from portal.blueprints.projects.models import Project, ProjectPhoto, ProjectUpdate
from portal.blueprints.subscriptions.models import Notice
from portal.extensions import db
from portal.services import audit, storage
from portal.tenancy import tenant_context
from tests.projects.conftest import BASE, post
from tests.projects.factories import jpeg, make_project, project_form
from tests.staff_fixtures import signed_in


def _projects(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Project).order_by(Project.id)).all()


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id))]


def _notices(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return [(n.topic, n.object_id, n.item_key) for n in db.session.scalars(select(Notice).order_by(Notice.id))]


def test_a_new_project_is_a_draft_with_its_place_as_geojson(app, editor, client, poti):
    response = post(editor, f"{BASE}/new", project_form(
        location="42.1462, 41.6712\n42.1441, 41.6803", unit="ნაბადა", budget="1850000.50", spent="12.3",
        status="in_progress", percent_complete="40"))
    assert response.status_code == 303
    [project] = _projects(app, poti)
    assert not project.is_published and project.unit == "ნაბადა"
    assert project.location == '{"type":"LineString","coordinates":[[41.6712,42.1462],[41.6803,42.1441]]}'
    assert project.budget_minor == 185_000_050 and project.spent_minor == 1230 and project.currency == "GEL"
    assert "projects.create" in _actions(app)
    assert client.get(f"/poti/projects/{project.id}").status_code == 404  # a draft
    page = editor.get(f"{BASE}/{project.id}")
    assert "42.1462, 41.6712" in page.text  # the place back in the form as typed pairs


def test_refusals_in_english_and_georgian_change_nothing(app, editor, poti):
    cases = [({"location": "the port"}, "one “latitude, longitude” pair a line"),
             ({"location": '{"type": "Point", "coordinates": [2.35, 48.85]}'}, "The place must be in Georgia"),
             ({"unit": "ბათუმი"}, "Not a valid choice"),
             ({"status": "completed", "percent_complete": "80"}, "A completed project is 100 per cent complete."),
             ({"starts_on": "2027-01-01", "ends_on": "2026-01-01"}, "The planned end cannot come before the start."),
             ({"percent_complete": "140"}, "Number must be between 0 and 100."),
             ({"budget": "-5"}, "Number must be between"),
             ({"budget": "lots"}, "Not a valid decimal value."),
             ({"starts_on": "2026-13-45"}, "Not a valid date value."),
             ({"title": ""}, "This field is required.")]
    for values, message in cases:
        response = post(editor, f"{BASE}/new", project_form(**values))
        assert response.status_code == 422, values
        assert message in response.text, (values, message)
    editor.set_cookie("lang", "ka")
    response = post(editor, f"{BASE}/new", project_form(location="ნავსადგური"))
    assert response.status_code == 422
    assert "ჩაწერეთ GeoJSON, ან თითო სტრიქონზე ერთი წყვილი „განედი, გრძედი“." in response.text
    response = post(editor, f"{BASE}/new", project_form(status="completed", percent_complete="10"))
    assert "დასრულებული პროექტი 100 პროცენტით არის შესრულებული." in response.text
    assert _projects(app, poti) == []
    assert "projects.create" not in _actions(app)


def test_publishing_announces_a_project_once(app, editor, poti):
    project_id = make_project(app, poti, published=False)
    assert post(editor, f"{BASE}/{project_id}/publish").status_code == 303
    assert post(editor, f"{BASE}/{project_id}/unpublish").status_code == 303
    assert post(editor, f"{BASE}/{project_id}/publish").status_code == 303
    assert _notices(app, poti) == [("projects.new", 0, f"projects.new:project:{project_id}")]
    assert _actions(app).count("projects.publish") == 2 and "projects.unpublish" in _actions(app)


def test_an_update_with_a_photo_is_stripped_sized_and_announced(app, editor, client, poti):
    project_id = make_project(app, poti)
    response = post(editor, f"{BASE}/{project_id}/updates", {
        "happened_on": "2026-10-01", "body": "ასფალტი დაიგო.", "body_en": "The asphalt is laid.",
        "photo": (io.BytesIO(jpeg(2000, 1200)), "IMG_0001.jpg"), "photo_alt": "ახალი ასფალტი",
        "photo_alt_en": "New asphalt"}, content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        update = db.session.scalars(select(ProjectUpdate).order_by(ProjectUpdate.id.desc())).first()
        [photo] = db.session.scalars(select(ProjectPhoto).where(ProjectPhoto.update_id == update.id)).all()
        assert sorted(photo.image_paths, key=int) == ["400", "800", "1600"]
        stored = storage.read(photo.image_paths["1600"])
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "WEBP" and not picture.getexif() and "exif" not in picture.info
    assert (project_id, f"projects.project:project_update:{update.id}") in [
        (object_id, key) for topic, object_id, key in _notices(app, poti) if topic == "projects.project"]
    assert "projects.update_posted" in _actions(app)
    page = client.get(f"/poti/projects/{project_id}")
    assert "ასფალტი დაიგო." in page.text and f"photos/{photo.id}?w=800" in page.text
    assert client.get(f"/poti/projects/{project_id}/photos/{photo.id}?w=400").mimetype == "image/webp"


def test_a_picture_that_is_not_one_or_has_no_description_is_refused(app, editor, poti):
    project_id = make_project(app, poti)
    for upload, alt, message in (
            ((io.BytesIO(b"%PDF-1.4 not a picture"), "photo.jpg"), "ფოტო", "The image must be a JPEG, PNG"),
            ((io.BytesIO(jpeg()), "photo.jpg"), "", "Describe the photo for people who cannot see it.")):
        response = post(editor, f"{BASE}/{project_id}/updates", {
            "happened_on": "2026-10-01", "body": "ტექსტი", "photo": upload, "photo_alt": alt},
            content_type="multipart/form-data")
        assert response.status_code == 422 and message in response.text
    response = post(editor, f"{BASE}/{project_id}/updates", {"happened_on": "", "body": ""})
    assert response.status_code == 422 and "This field is required." in response.text
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(ProjectUpdate.id).where(ProjectUpdate.body == "ტექსტი")) is None
        assert db.session.scalars(select(ProjectPhoto)).all() == []


def test_deleting_an_update_removes_its_photos(app, editor, poti):
    project_id = make_project(app, poti, photo=True)
    with app.app_context(), tenant_context(poti):
        update = db.session.scalar(select(ProjectUpdate).where(ProjectUpdate.project_id == project_id))
        [photo] = db.session.scalars(select(ProjectPhoto)).all()
        keys = list(photo.image_paths.values())
    response = post(editor, f"{BASE}/{project_id}/updates/{update.id}/delete")
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.scalars(select(ProjectPhoto)).all() == []
    with app.app_context():
        for key in keys:
            try:
                storage.read(key)
            except FileNotFoundError:
                continue
            raise AssertionError(f"{key} is still stored")
    assert "projects.update_deleted" in _actions(app)


def test_staff_of_poti_cannot_read_or_change_abashas_projects(app, editor, poti, abasha):
    theirs = make_project(app, abasha, title="აბაშის გზა")
    with app.app_context(), tenant_context(abasha):
        update_id = db.session.scalar(select(ProjectUpdate.id).where(ProjectUpdate.project_id == theirs))
    assert editor.get(f"{BASE}/{theirs}").status_code == 404
    for url in (f"{BASE}/{theirs}", f"{BASE}/{theirs}/unpublish", f"{BASE}/{theirs}/updates",
                f"{BASE}/{theirs}/updates/{update_id}/delete"):
        assert post(editor, url, project_form(title="შეცვლილი")).status_code == 404
    [project] = _projects(app, abasha)
    assert project.title == "აბაშის გზა" and project.is_published
    assert "აბაშის გზა" not in editor.get(f"{BASE}/").text
    with app.app_context(), tenant_context(abasha):
        assert db.session.scalar(select(ProjectUpdate.id).where(ProjectUpdate.id == update_id)) is not None


def test_people_without_the_permission_are_refused(app, staff, poti):
    clerk = app.test_client()
    signed_in(clerk, staff(poti, ["clerk"]))
    assert clerk.get(f"{BASE}/").status_code == 403


def test_the_dashboard_counts_drafts(app, editor, poti):
    make_project(app, poti, published=False)
    page = editor.get("/poti/admin/")
    assert "Infrastructure projects" in page.text and "Drafts: 1" in page.text
