"""The public list of projects (filters by status, unit and year; a map drawn by script over
the same list), a project's page with its timeline, photos and Open Graph tags, the photos in
their widths, the list as GeoJSON and the Atom feed of updates."""

from __future__ import annotations

from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator
from flask import Response, abort, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.blueprints.projects import bp, queries, settings
from portal.blueprints.projects.labels import STATUS_LABELS
from portal.blueprints.projects.models import STATUSES, Project, ProjectPhoto
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import localized, localized_plain
from portal.services import storage
from portal.services.geometry import place
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.rendering import render, render_public

PER_PAGE = 20
MAX_PAGE = 1_000
FEED_ENTRIES = 30
#: Photos never change under a key (a new photo is a new key).
IMAGE_CACHE = "public, max-age=31536000, immutable"
OPEN_DATA_CACHE = "public, max-age=300"


def unit_choices() -> list[tuple[str, str]]:
    """(stored Georgian name, name in the page's language) of the municipality's units."""
    return [(u.ka, localized_plain(u)) for u in current_tenant.config.facts.units]


def unit_label(stored: str) -> str:
    """A stored unit's name in the page's language (as stored when no longer on the list)."""
    return next((label for value, label in unit_choices() if value == stored), stored)


def filters() -> dict:
    """The list's filters from the query string; anything unknown is no filter."""
    status = request.args.get("status")
    unit = request.args.get("unit")
    return {"status": status if status in STATUSES else None,
            "unit": unit if unit in {u for u, _label in unit_choices()} else None,
            "year": int_arg("year", None, minimum=1990, maximum=2100, clamp=False)}


def photo_url(photo: ProjectPhoto, width: int | None = None, *, project_id: int) -> str:
    paths = photo.image_paths
    chosen = width if width and str(width) in paths else max(map(int, paths))
    # The key's tail in the address: a new photo is a new URL, so the old one may be kept a year.
    return url_for("projects.photo", project_id=project_id, project_photo_id=photo.id, w=chosen,
                   v=paths[str(chosen)][-24:-5])


def photo_srcset(photo: ProjectPhoto, *, project_id: int) -> str:
    return ", ".join(f"{photo_url(photo, int(w), project_id=project_id)} {w}w"
                     for w in sorted(photo.image_paths, key=int))


@bp.get("/")
def index():
    chosen = filters()
    page = paginate(queries.listed(**chosen), page_arg(maximum=MAX_PAGE), PER_PAGE)
    return render("projects/index.html", block="results", page=page, chosen=chosen,
                  units=unit_choices(), years=queries.years(), status_labels=STATUS_LABELS,
                  place=place, unit_label=unit_label, map=settings.map_view(),
                  geojson_url=url_for("projects.geojson", **{k: v for k, v in chosen.items() if v}))


@bp.get("/projects.geojson")
def geojson():
    projects = db.session.scalars(queries.listed(**filters()).limit(1000))
    # Paths, not absolute links: the page's map follows them on whichever host it is served.
    collection = queries.feature_collection(
        projects, lambda p: url_for("projects.show", project_id=p.id), STATUS_LABELS)
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    response.headers["Cache-Control"] = OPEN_DATA_CACHE
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/<int:project_id>")
def show(project_id: int):
    project = queries.public_project(project_id)
    if project is None:
        abort(404)
    first_photo = next((p for u in project.updates for p in u.photos), None)
    return render_public(
        "projects/show.html", project=project, shape=place(project.location), unit_label=unit_label,
        status_labels=STATUS_LABELS, map=settings.map_view(),
        share_url=message_url("projects.show", project_id=project.id),
        og_image=(message_url("projects.photo", project_id=project.id, project_photo_id=first_photo.id,
                              w=max(map(int, first_photo.image_paths))) if first_photo else None),
        og_image_alt=localized_plain(first_photo.text("alt")) if first_photo else "",
        photo_url=photo_url, photo_srcset=photo_srcset,
        geojson=queries.feature_collection(
            [project], lambda p: url_for("projects.show", project_id=p.id), STATUS_LABELS))


@bp.get("/<int:project_id>/photos/<int:project_photo_id>")
def photo(project_id: int, project_photo_id: int):
    found = queries.public_photo(project_id, project_photo_id)
    if found is None:
        abort(404)
    width = int_arg("w", 0, minimum=0, maximum=10_000)
    key = found.image_paths.get(str(width)) or found.image_paths[max(found.image_paths, key=int)]
    try:
        data = storage.read(key)  # tens of kB: no open file left to a response nobody closes
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = IMAGE_CACHE
    return response.make_conditional(request)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@bp.get("/updates.atom")
def feed():
    """The newest updates of every published project (links from the configured domains)."""
    updates = queries.newest_updates(FEED_ENTRIES)
    self_url = message_url("projects.feed")
    title = _("Projects' updates: %(place)s", place=localized_plain(current_tenant.config.short_name))
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": localized_plain(current_tenant.config.short_name)})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=message_url("projects.index"), rel="alternate", type="text/html")
    feed.language(str(get_locale() or current_tenant.config.default_locale))
    feed.updated(max((_aware(u.updated_at) for u in updates), default=utcnow()))
    for update in reversed(updates):  # feedgen prepends: the newest ends up first
        project: Project = update.project
        link = message_url("projects.show", project_id=project.id) + f"#update-{update.id}"
        entry = feed.add_entry()
        entry.id(link)
        entry.title(f"{localized_plain(project.text('title'))}: {localized(update.text('body'))[:80]}")
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(datetime.combine(update.happened_on, time(12), tzinfo=UTC))
        entry.updated(_aware(update.updated_at))
        entry.summary(localized_plain(update.text("body")))
    response = Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = OPEN_DATA_CACHE
    response.vary.update(("Cookie", "Accept-Language"))
    return response
