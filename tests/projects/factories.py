"""Projects' things for the tests and the URL-map walks (see tests/factories.py): published
projects of a municipality with an update and a photo, committed, and a valid form for each
editors' POST route."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from portal.blueprints.projects import services
from portal.blueprints.projects.models import Project, ProjectPhoto, ProjectUpdate
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission

LINE = "42.1462, 41.6712\n42.1441, 41.6803"


def jpeg(width: int = 900, height: int = 600) -> bytes:
    image = Image.new("RGB", (width, height), (90, 90, 96))
    out = io.BytesIO()
    tags = Image.Exif()
    tags[0x010F] = "Camera"
    tags[0x0132] = "2026:05:01 10:00:00"
    image.save(out, "JPEG", exif=tags)
    return out.getvalue()


def make_project(app, tenant, *, title: str = "გზის რეაბილიტაცია", published: bool = True,
                 photo: bool = False, **values) -> int:
    """A committed project (published unless told otherwise), with one update (and a photo)."""
    fields = {"title": title, "title_en": "Road rehabilitation", "location": LINE, "place": "ცენტრალური ქუჩა",
              "place_en": "Central street", "status": "in_progress", "percent_complete": 30,
              "budget": 100_000, "spent": 20_000, "starts_on": date(2026, 3, 1), "ends_on": date(2027, 6, 30)}
    with app.app_context(), tenant_context(tenant):
        project = services.save_project(None, **(fields | values))
        services.post_update(project, happened_on=date(2026, 5, 1), body="სამუშაოები დაიწყო.",
                             body_en="The works began.", photo=jpeg() if photo else None,
                             alt="სამუშაოები" if photo else "")
        if published:
            services.publish(project)
        db.session.commit()
        return project.id


def first_update_id(app, tenant, project_id: int) -> int:
    from sqlalchemy import select

    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(ProjectUpdate.id).where(ProjectUpdate.project_id == project_id))


@factory("projects", "project_id")
@factory("projects_admin", "project_id")
def _project(objects):
    return objects.once("project", lambda: make_project(objects.app, objects.tenant, photo=True))


@factory("projects_admin", "project_update_id")
def _update(objects):
    project_id = int(objects.value("projects_admin", "project_id"))
    return first_update_id(objects.app, objects.tenant, project_id)


@factory("projects", "project_photo_id")
def _photo(objects):
    from sqlalchemy import select

    project_id = int(objects.value("projects", "project_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        return db.session.scalar(select(ProjectPhoto.id).join(ProjectUpdate)
                                 .where(ProjectUpdate.project_id == project_id))


def project_form(**values) -> dict:
    return {"title": "პარკის კეთილმოწყობა", "title_en": "Park improvement", "description": "", "description_en": "",
            "location": "42.146, 41.67", "place": "ზღვისპირა პარკი", "place_en": "Seaside park", "unit": "",
            "contractor": "", "budget": "1000", "spent": "0", "starts_on": "2026-05-01", "ends_on": "",
            "status": "planned", "percent_complete": "0", **values}


@submission("projects_admin.new")
def _new(objects, client):
    return project_form()


@submission("projects_admin.edit")
def _edit(objects, client):
    return project_form(title="შეცვლილი სათაური")


def _set_published(objects, published: bool) -> dict:
    from sqlalchemy import update

    project_id = int(objects.value("projects_admin", "project_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(Project).where(Project.id == project_id).values(is_published=published))
        db.session.commit()
    return {}


@submission("projects_admin.publish")
def _publish(objects, client):
    return _set_published(objects, False)


@submission("projects_admin.unpublish")
def _unpublish(objects, client):
    return _set_published(objects, True)


@submission("projects_admin.post_update")
def _post_update(objects, client):
    return {"happened_on": "2026-06-01", "body": "ასფალტი დაიგო.", "body_en": "", "photo_alt": "", "photo_alt_en": ""}


@submission("projects_admin.delete_update")
def _delete_update(objects, client):
    return {}
