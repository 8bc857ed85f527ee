"""What the public sees of projects: published ones, filtered by status, unit and year; one
project with its timeline; the newest updates (the feed); the list as GeoJSON for the map."""

from __future__ import annotations

import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.projects.models import STATUSES, Project, ProjectPhoto, ProjectUpdate
from portal.extensions import db
from portal.i18n import localized_plain

#: Years offered by the filter, at most.
YEARS = 30


def listed(status: str | None = None, unit: str | None = None, year: int | None = None) -> Select:
    """Published projects, newest start first; each filter only when given."""
    statement = select(Project).where(Project.is_published.is_(True))
    if status in STATUSES:
        statement = statement.where(Project.status == status)
    if unit:
        statement = statement.where(Project.unit == unit)
    if year:
        # Under way at some time in that year: started by its end, not ended before it began.
        statement = statement.where(Project.starts_on <= date(year, 12, 31),
                                    or_(Project.ends_on.is_(None), Project.ends_on >= date(year, 1, 1)))
    return statement.order_by(Project.starts_on.desc().nulls_last(), Project.id.desc())


def years() -> list[int]:
    """The years published projects span, newest first."""
    first, last = db.session.execute(
        select(func.min(Project.starts_on), func.max(func.coalesce(Project.ends_on, Project.starts_on)))
        .where(Project.is_published.is_(True))).one()
    if first is None:
        return []
    last = max(last or first, first)
    return list(range(last.year, max(first.year, last.year - YEARS) - 1, -1))


def public_project(project_id: int) -> Project | None:
    return db.session.scalar(
        select(Project).where(Project.id == project_id, Project.is_published.is_(True))
        .options(selectinload(Project.updates).selectinload(ProjectUpdate.photos)))


def public_photo(project_id: int, project_photo_id: int) -> ProjectPhoto | None:
    return db.session.scalar(
        select(ProjectPhoto).join(ProjectUpdate).join(Project)
        .where(ProjectPhoto.id == project_photo_id, Project.id == project_id,
               Project.is_published.is_(True)))


def newest_updates(limit: int) -> list[ProjectUpdate]:
    """Updates of published projects, newest first (the Atom feed)."""
    return list(db.session.scalars(
        select(ProjectUpdate).join(Project).where(Project.is_published.is_(True))
        .options(selectinload(ProjectUpdate.project), selectinload(ProjectUpdate.photos))
        .order_by(ProjectUpdate.happened_on.desc(), ProjectUpdate.id.desc()).limit(limit)))


def feature_collection(projects, url_of, status_labels) -> dict:
    """The projects as a GeoJSON FeatureCollection (RFC 7946), names in the page's language;
    ``lines`` and ``style`` are what the shared map (static/js/map.js) shows."""
    features = []
    for project in projects:
        try:
            shape = json.loads(project.location)
        except ValueError:
            continue
        features.append({
            "type": "Feature", "id": project.id, "geometry": shape,
            "properties": {"title": localized_plain(project.text("title")),
                           "place": localized_plain(project.text("place")),
                           "status": project.status, "status_label": str(status_labels[project.status]),
                           "percent_complete": project.percent_complete,
                           "url": url_of(project),
                           "lines": [_("%(status)s · %(percent)d%% complete",
                                       status=status_labels[project.status],
                                       percent=project.percent_complete),
                                     localized_plain(project.text("place"))],
                           "style": f"map-status-{project.status}"}})
    return {"type": "FeatureCollection", "features": features}
