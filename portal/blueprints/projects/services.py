"""Verbs on projects: write one, publish and unpublish it, post a dated update (with a
photo), add a photo to an update, delete an update. They flush, never commit, and raise
``ProjectError`` (or ``PlaceRefused``/``ImageRefused``) with the form field the refusal is
about; the views record the audit entry and commit once."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from portal.blueprints.projects.models import STATUSES, Project, ProjectPhoto, ProjectUpdate
from portal.db import utcnow
from portal.extensions import db
from portal.services import geometry, images, storage
from portal.services.errors import DomainError
from portal.tenancy import current_tenant

#: Largest amount taken, in GEL (a typo with extra zeros is refused).
MAX_AMOUNT = 10_000_000_000


class ProjectError(DomainError):
    """A project rule refused the change."""


def units() -> list[str]:
    """The municipality's administrative units (Georgian names, as stored)."""
    return [u.ka for u in current_tenant.config.facts.units]


def project_values(project: Project) -> dict:
    """What the audit log keeps of a project."""
    return {"title": project.title, "title_en": project.title_en, "status": project.status,
            "percent_complete": project.percent_complete, "unit": project.unit,
            "contractor": project.contractor, "budget_minor": project.budget_minor,
            "spent_minor": project.spent_minor,
            "starts_on": project.starts_on.isoformat() if project.starts_on else None,
            "ends_on": project.ends_on.isoformat() if project.ends_on else None,
            "location": project.location, "is_published": project.is_published}


def _minor(amount, field: str) -> int:
    if amount is None:
        return 0
    if amount < 0 or amount > MAX_AMOUNT:
        raise ProjectError(_l("Give an amount between 0 and %(most)s GEL.", most=f"{MAX_AMOUNT:,}"), field)
    return int(round(amount * 100))


def save_project(project: Project | None, *, title: str, title_en: str = "", description: str = "",
                 description_en: str = "", location: str = "", place: str = "", place_en: str = "",
                 unit: str = "", contractor: str = "", budget=None, spent=None,
                 starts_on: date | None = None, ends_on: date | None = None, status: str = "planned",
                 percent_complete: int | None = 0) -> Project:
    """Create or change a project (a new one is a draft). The place is checked and stored as
    GeoJSON; the unit must be one of the municipality's."""
    title = (title or "").strip()
    if not title:
        raise ProjectError(_l("Write a title."), "title")
    stored_place = geometry.parse(location)
    if not (place or "").strip():
        raise ProjectError(_l("Describe the place in words (a street, a landmark)."), "place")
    if status not in STATUSES:
        raise ProjectError(_l("Choose a status from the list."), "status")
    unit = (unit or "").strip()
    if unit and unit not in units():
        raise ProjectError(_l("Choose an administrative unit from the list."), "unit")
    percent = percent_complete or 0
    if not 0 <= percent <= 100:
        raise ProjectError(_l("The percentage is between 0 and 100."), "percent_complete")
    if status == "completed" and percent != 100:
        raise ProjectError(_l("A completed project is 100 per cent complete."), "percent_complete")
    if starts_on and ends_on and ends_on < starts_on:
        raise ProjectError(_l("The planned end cannot come before the start."), "ends_on")
    budget_minor, spent_minor = _minor(budget, "budget"), _minor(spent, "spent")
    if project is None:
        project = Project(is_published=False)
        db.session.add(project)
    project.title, project.title_en = title, (title_en or "").strip()
    project.description, project.description_en = (description or "").strip(), (description_en or "").strip()
    project.location = stored_place
    project.place, project.place_en = place.strip(), (place_en or "").strip()
    project.unit, project.contractor = unit, (contractor or "").strip()
    project.budget_minor, project.spent_minor = budget_minor, spent_minor
    project.starts_on, project.ends_on = starts_on, ends_on
    project.status, project.percent_complete = status, percent
    db.session.flush()
    return project


def publish(project: Project) -> bool:
    """Make the project public; True when this is its first publication (announce it)."""
    first = project.published_at is None
    project.is_published = True
    if first:
        project.published_at = utcnow()
    db.session.flush()
    return first


def unpublish(project: Project) -> None:
    project.is_published = False
    db.session.flush()


def update_values(update: ProjectUpdate) -> dict:
    return {"project_id": update.project_id, "happened_on": update.happened_on.isoformat(),
            "body": update.body, "body_en": update.body_en}


def post_update(project: Project, *, happened_on: date | None, body: str, body_en: str = "",
                photo: bytes | None = None, alt: str = "", alt_en: str = "") -> ProjectUpdate:
    """A dated entry of the project's timeline, with an optional photo."""
    body = (body or "").strip()
    if happened_on is None:
        raise ProjectError(_l("Give the date of the update."), "happened_on")
    if not body:
        raise ProjectError(_l("Write what happened."), "body")
    update = ProjectUpdate(project_id=project.id, happened_on=happened_on, body=body,
                           body_en=(body_en or "").strip())
    db.session.add(update)
    db.session.flush()
    if photo is not None:
        add_photo(update, photo, alt=alt, alt_en=alt_en)
    return update


def add_photo(update: ProjectUpdate, data: bytes, *, alt: str, alt_en: str = "") -> ProjectPhoto:
    """Decode, strip and size the photo (``services/images``) and keep it with ``update``; a
    photo needs its Georgian description."""
    alt = (alt or "").strip()
    if not alt:
        raise ProjectError(_l("Describe the photo for people who cannot see it."), "photo_alt")
    made = images.make_sizes(data, field="photo")
    paths = images.store_sizes(made, current_tenant.slug, f"project-{update.project_id}-{update.id}")
    photo = ProjectPhoto(update_id=update.id, image_paths=paths, width=made.width, height=made.height,
                         alt=alt, alt_en=(alt_en or "").strip())
    db.session.add(photo)
    db.session.flush()
    return photo


def delete_update(update: ProjectUpdate, photos: list[ProjectPhoto]) -> None:
    """Delete an update and its photos (the files go once the deletion commits)."""
    for photo in photos:
        storage.unlink_on_commit(*photo.image_paths.values())
    db.session.delete(update)
    db.session.flush()
