"""A place on the map (a project's point or line, a sight's point): GeoJSON checked on the
server.

Editors type either GeoJSON (a geometry or a Feature holding one) or coordinates, one
"latitude, longitude" pair a line (one line: a point; more: a line through them). What is
stored is always a compact GeoJSON geometry, longitude first (RFC 7946), inside Georgia.
``parse(raw, kinds=POINT_ONLY)`` takes a point only (a sight).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.services.errors import DomainError

#: Longest line taken, in points.
MAX_POINTS = 500
#: Georgia's bounding box (longitude, latitude), with a margin: a typo lands outside it.
WEST, SOUTH, EAST, NORTH = 39.5, 40.9, 47.0, 43.8
#: What ``parse`` takes by default, and for a single place.
POINT_OR_LINE = ("Point", "LineString")
POINT_ONLY = ("Point",)
PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$")


class PlaceRefused(DomainError):
    """The place is not a point or line the portal takes."""


def _refuse(message) -> PlaceRefused:
    return PlaceRefused(message, "location")


def _point(value) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        raise _refuse(_l("Each position needs a longitude and a latitude (numbers)."))
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _refuse(_l("Each position needs a longitude and a latitude (numbers)."))
    if not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
        raise _refuse(_l("The place must be in Georgia (check the order: latitude about 41–43, "
                         "longitude about 40–46)."))
    return round(lon, 6), round(lat, 6)


def _from_pairs(raw: str) -> dict:
    points = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        found = PAIR.match(line)
        if not found:
            raise _refuse(_l("Write GeoJSON, or one “latitude, longitude” pair a line."))
        points.append([float(found.group(2)), float(found.group(1))])
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    return {"type": "LineString", "coordinates": points}


def parse(raw: str | None, kinds: tuple[str, ...] = POINT_OR_LINE) -> str:
    """The checked geometry as compact GeoJSON text; ``PlaceRefused`` on the ``location``
    field otherwise. ``kinds``: the geometry types taken (a point and a line by default)."""
    raw = (raw or "").strip()
    if not raw:
        raise _refuse(_l("Give the place: a point or a line.") if "LineString" in kinds
                      else _l("Give the place: one “latitude, longitude” pair."))
    if raw[0] in "{[":
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            raise _refuse(_l("This is not valid GeoJSON.")) from None
    else:
        value = _from_pairs(raw)
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in kinds:
        raise _refuse(_l("The place must be a GeoJSON Point or LineString.") if "LineString" in kinds
                      else _l("The place must be a single point: one “latitude, longitude” pair."))
    coordinates = value.get("coordinates")
    if value["type"] == "Point":
        clean = list(_point(coordinates))
    else:
        if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= MAX_POINTS:
            raise _refuse(_l("A line needs between 2 and %(count)d positions.", count=MAX_POINTS))
        clean = [list(_point(p)) for p in coordinates]
    return json.dumps({"type": value["type"], "coordinates": clean}, separators=(",", ":"))


@dataclass(frozen=True)
class Place:
    kind: str
    #: (latitude, longitude) pairs, as people read them.
    points: tuple[tuple[float, float], ...]

    @property
    def start(self) -> tuple[float, float]:
        return self.points[0]

    @property
    def end(self) -> tuple[float, float]:
        return self.points[-1]

    @property
    def length_km(self) -> float:
        return sum(_distance(a, b) for a, b in zip(self.points, self.points[1:], strict=False))

    def as_pairs(self) -> str:
        """One "latitude, longitude" line per position (the editors' form)."""
        return "\n".join(f"{lat}, {lon}" for lat, lon in self.points)


def place(stored: str | None) -> Place | None:
    """The stored geometry read back, or None when there is none (or it cannot be read)."""
    try:
        value = json.loads(stored or "")
        if value["type"] == "Point":
            lon, lat = value["coordinates"][:2]
            return Place("Point", ((lat, lon),))
        return Place("LineString", tuple((p[1], p[0]) for p in value["coordinates"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) pairs."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
