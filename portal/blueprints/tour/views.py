"""The virtual tour page: the provider's player in a titled frame with a plain link, and below
it the municipality's sights, filtered by category, on a map drawn by script over a list that
stands on its own; a sight's page, its photo in its widths, the sights as GeoJSON."""

from __future__ import annotations

from flask import Response, abort, jsonify, request, url_for

from portal.blueprints.projects.settings import map_view
from portal.blueprints.tour import bp, queries
from portal.blueprints.tour.labels import CATEGORY_LABELS
from portal.blueprints.tour.models import CATEGORIES, Sight
from portal.extensions import db
from portal.i18n import localized_plain
from portal.services import storage
from portal.services.geometry import place
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.inputs import int_arg
from portal.web.rendering import render, render_public

#: Photos never change under a key (a new photo is a new key).
IMAGE_CACHE = "public, max-age=31536000, immutable"
OPEN_DATA_CACHE = "public, max-age=300"


def chosen_category() -> str | None:
    category = request.args.get("category")
    return category if category in CATEGORIES else None


def photo_url(sight: Sight, width: int | None = None) -> str:
    paths = sight.image_paths or {}
    chosen = width if width and str(width) in paths else max(map(int, paths))
    # The key's tail in the address: a new photo is a new URL, so the old one may be kept a year.
    return url_for("tour.photo", sight_id=sight.id, w=chosen, v=paths[str(chosen)][-24:-5])


def photo_srcset(sight: Sight) -> str:
    return ", ".join(f"{photo_url(sight, int(w))} {w}w" for w in sorted(sight.image_paths or {}, key=int))


def _sight_url(sight: Sight) -> str:
    return url_for("tour.show", sight_id=sight.id)


@bp.get("/")
def index():
    category = chosen_category()
    sights = list(db.session.scalars(queries.listed(category)))
    return render("tour/index.html", block="results", tour_url=current_tenant.config.tour_url,
                  sights=sights, chosen=category, categories=queries.categories(),
                  any_sights=bool(sights) or queries.count_published() > 0,
                  category_labels=CATEGORY_LABELS, place=place, map=map_view(),
                  photo_url=photo_url, photo_srcset=photo_srcset,
                  geojson_url=url_for("tour.geojson", category=category),
                  download_url=url_for("tour.geojson"))


@bp.get("/sights.geojson")
def geojson():
    sights = db.session.scalars(queries.listed(chosen_category()))
    # Paths, not absolute links: the page's map follows them on whichever host it is served.
    response = jsonify(queries.feature_collection(sights, _sight_url, CATEGORY_LABELS))
    response.mimetype = "application/geo+json"
    response.headers["Cache-Control"] = OPEN_DATA_CACHE
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/sights/<int:sight_id>")
def show(sight_id: int):
    sight = queries.public_sight(sight_id)
    if sight is None:
        abort(404)
    return render_public(
        "tour/show.html", sight=sight, shape=place(sight.location), category_labels=CATEGORY_LABELS,
        map=map_view(), photo_url=photo_url, photo_srcset=photo_srcset,
        share_url=message_url("tour.show", sight_id=sight.id),
        og_image=(message_url("tour.photo", sight_id=sight.id, w=max(map(int, sight.image_paths)))
                  if sight.image_paths else None),
        og_image_alt=localized_plain(sight.text("photo_alt")) if sight.image_paths else "",
        geojson=queries.feature_collection([sight], _sight_url, CATEGORY_LABELS))


@bp.get("/sights/<int:sight_id>/photo")
def photo(sight_id: int):
    sight = queries.public_sight(sight_id)
    if sight is None or not sight.image_paths:
        abort(404)
    width = int_arg("w", 0, minimum=0, maximum=10_000)
    key = sight.image_paths.get(str(width)) or sight.image_paths[max(sight.image_paths, key=int)]
    try:
        data = storage.read(key)
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = IMAGE_CACHE
    return response.make_conditional(request)


def sight_pages():
    """What the tour adds to the municipality's sitemap.xml."""
    from sqlalchemy import select

    yield "tour.index", {}
    for sight_id in db.session.scalars(
            select(Sight.id).where(Sight.is_published.is_(True)).order_by(Sight.id)):
        yield "tour.show", {"sight_id": sight_id}
