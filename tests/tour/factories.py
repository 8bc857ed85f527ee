"""The tour's things for the tests and the URL-map walks (see tests/factories.py): a published
sight of a municipality with a photo, committed, and a valid form for each editors' POST route."""

from __future__ import annotations

from portal.blueprints.tour import services
from portal.blueprints.tour.models import Sight
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission
from tests.projects.factories import jpeg

POINT = "42.1532, 41.6561"


def make_sight(app, tenant, *, name: str = "ფოთის შუქურა", published: bool = True, photo: bool = False,
               **values) -> int:
    """A committed sight (published unless told otherwise), with a photo when asked."""
    fields = {"name": name, "name_en": "Poti Lighthouse", "category": "historical", "location": POINT,
              "description": "თუჯის შუქურა.", "description_en": "A cast-iron lighthouse.",
              "address": "ზღვის სანაპირო", "address_en": "The seafront"}
    with app.app_context(), tenant_context(tenant):
        sight = services.save_sight(None, **(fields | values))
        if photo:
            services.set_photo(sight, jpeg(), alt="შუქურა", alt_en="The lighthouse")
        if published:
            services.publish(sight)
        db.session.commit()
        return sight.id


@factory("tour", "sight_id")
@factory("tour_admin", "sight_id")
def _sight(objects):
    return objects.once("sight", lambda: make_sight(objects.app, objects.tenant, photo=True))


def sight_form(**values) -> dict:
    return {"name": "პალიასტომის ტბა", "name_en": "Lake Paliastomi", "category": "natural",
            "description": "", "description_en": "", "location": "42.105, 41.715", "address": "",
            "address_en": "", "photo_alt": "", "photo_alt_en": "", **values}


@submission("tour_admin.new")
def _new(objects, client):
    return sight_form()


@submission("tour_admin.edit")
def _edit(objects, client):
    return sight_form(name="შეცვლილი სახელი")


def _set_published(objects, published: bool) -> dict:
    from sqlalchemy import update

    sight_id = int(objects.value("tour_admin", "sight_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(Sight).where(Sight.id == sight_id).values(is_published=published))
        db.session.commit()
    return {}


@submission("tour_admin.publish")
def _publish(objects, client):
    return _set_published(objects, False)


@submission("tour_admin.unpublish")
def _unpublish(objects, client):
    return _set_published(objects, True)


@submission("tour_admin.delete")
def _delete(objects, client):
    return {}
