"""What projects add to the municipality's sitemap.xml."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.projects.models import Project
from portal.extensions import db


def project_pages():
    yield "projects.index", {}
    for project_id in db.session.scalars(
            select(Project.id).where(Project.is_published.is_(True)).order_by(Project.id.desc())):
        yield "projects.show", {"project_id": project_id}
