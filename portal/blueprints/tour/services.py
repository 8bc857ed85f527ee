"""Verbs on sights: write one, replace its photo, publish, unpublish and delete it. They flush,
never commit, and raise ``SightError`` (or ``PlaceRefused``/``ImageRefused``) with the form
field the refusal is about; the views record the audit entry and commit once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.blueprints.tour.models import CATEGORIES, Sight
from portal.extensions import db
from portal.services import geometry, images, storage
from portal.services.errors import DomainError
from portal.tenancy import current_tenant


class SightError(DomainError):
    """A sight rule refused the change."""


def sight_values(sight: Sight) -> dict:
    """What the audit log keeps of a sight."""
    return {"name": sight.name, "name_en": sight.name_en, "category": sight.category,
            "location": sight.location, "address": sight.address, "address_en": sight.address_en,
            "is_published": sight.is_published, "photo": bool(sight.image_paths)}


def save_sight(sight: Sight | None, *, name: str, name_en: str = "", description: str = "",
               description_en: str = "", category: str = "", location: str = "", address: str = "",
               address_en: str = "") -> Sight:
    """Create or change a sight (a new one is a draft). The place is one point, checked and
    stored as GeoJSON; the category is one of ``CATEGORIES``."""
    name = (name or "").strip()
    if not name:
        raise SightError(_l("Write the sight's name in Georgian."), "name")
    if category not in CATEGORIES:
        raise SightError(_l("Choose a category from the list."), "category")
    stored = geometry.parse(location, kinds=geometry.POINT_ONLY)
    if sight is None:
        sight = Sight(is_published=False)
        db.session.add(sight)
    sight.name, sight.name_en = name, (name_en or "").strip()
    sight.description, sight.description_en = (description or "").strip(), (description_en or "").strip()
    sight.category, sight.location = category, stored
    sight.address, sight.address_en = (address or "").strip(), (address_en or "").strip()
    db.session.flush()
    return sight


def set_photo(sight: Sight, data: bytes, *, alt: str, alt_en: str = "") -> None:
    """Decode, strip and size the photo (``services/images``: EXIF dropped, WebP widths) and
    keep it with the sight in place of the old one (whose files go once this commits). A photo
    needs its Georgian description."""
    alt = (alt or "").strip()
    if not alt:
        raise SightError(_l("Describe the photo for people who cannot see it."), "photo_alt")
    made = images.make_sizes(data, field="photo")
    old = dict(sight.image_paths or {})
    sight.image_paths = images.store_sizes(made, current_tenant.slug, f"sight-{sight.id}")
    sight.width, sight.height = made.width, made.height
    sight.photo_alt, sight.photo_alt_en = alt, (alt_en or "").strip()
    if old:
        storage.unlink_on_commit(*old.values())
    db.session.flush()


def publish(sight: Sight) -> None:
    sight.is_published = True
    db.session.flush()


def unpublish(sight: Sight) -> None:
    sight.is_published = False
    db.session.flush()


def delete_sight(sight: Sight) -> None:
    """Delete a sight (its photo's files go once the deletion commits)."""
    if sight.image_paths:
        storage.unlink_on_commit(*sight.image_paths.values())
    db.session.delete(sight)
    db.session.flush()
