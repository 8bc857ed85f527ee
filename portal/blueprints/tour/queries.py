"""What the public sees of sights: the published ones (by category), one sight, and the list
as GeoJSON for the map and the download."""

from __future__ import annotations

import json

from sqlalchemy import Select, func, select

from portal.blueprints.tour.models import CATEGORIES, Sight
from portal.extensions import db
from portal.i18n import localized_plain

#: Most sights listed (and drawn) on the page.
MOST = 500


def listed(category: str | None = None) -> Select:
    """Published sights by name; one category when given."""
    statement = select(Sight).where(Sight.is_published.is_(True))
    if category in CATEGORIES:
        statement = statement.where(Sight.category == category)
    return statement.order_by(Sight.name, Sight.id).limit(MOST)


def categories() -> list[str]:
    """The categories published sights have, in the declared order (the filter's choices)."""
    found = set(db.session.scalars(select(Sight.category).where(Sight.is_published.is_(True)).distinct()))
    return [c for c in CATEGORIES if c in found]


def count_published() -> int:
    return db.session.scalar(select(func.count(Sight.id)).where(Sight.is_published.is_(True))) or 0


def public_sight(sight_id: int) -> Sight | None:
    return db.session.scalar(select(Sight).where(Sight.id == sight_id, Sight.is_published.is_(True)))


def feature_collection(sights, url_of, category_labels) -> dict:
    """The sights as a GeoJSON FeatureCollection (RFC 7946), words in the page's language;
    ``lines`` and ``style`` are what the shared map (static/js/map.js) shows."""
    features = []
    for sight in sights:
        try:
            shape = json.loads(sight.location)
        except ValueError:
            continue
        features.append({
            "type": "Feature", "id": sight.id, "geometry": shape,
            "properties": {"title": localized_plain(sight.text("name")),
                           "category": sight.category,
                           "category_label": str(category_labels[sight.category]),
                           "address": localized_plain(sight.text("address")),
                           "url": url_of(sight),
                           "lines": [str(category_labels[sight.category]),
                                     localized_plain(sight.text("address"))],
                           "style": f"map-category-{sight.category}"}})
    return {"type": "FeatureCollection", "features": features}
