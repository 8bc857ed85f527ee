"""A place on the map (a project's, a sight's): GeoJSON or typed coordinates, checked on the server."""

from __future__ import annotations

import json

import pytest

from portal.services import geometry
from portal.services.geometry import PlaceRefused


def test_coordinates_typed_one_pair_a_line_become_geojson():
    assert json.loads(geometry.parse("42.146, 41.67")) == {"type": "Point", "coordinates": [41.67, 42.146]}
    line = json.loads(geometry.parse("42.146, 41.67\n\n42.150 41.68\n"))
    assert line == {"type": "LineString", "coordinates": [[41.67, 42.146], [41.68, 42.15]]}


def test_geojson_geometry_or_feature_is_kept_compact():
    feature = {"type": "Feature", "properties": {"x": "<script>"},
               "geometry": {"type": "LineString", "coordinates": [[41.67, 42.146], [41.68, 42.15, 3]]}}
    stored = geometry.parse(json.dumps(feature))
    assert stored == '{"type":"LineString","coordinates":[[41.67,42.146],[41.68,42.15]]}'
    place = geometry.place(stored)
    assert place.kind == "LineString" and place.start == (42.146, 41.67)
    assert 0.8 < place.length_km < 1.0
    assert place.as_pairs() == "42.146, 41.67\n42.15, 41.68"


@pytest.mark.parametrize("raw", [
    "", "{", "[1, 2]", '{"type": "Polygon", "coordinates": [[[41.6, 42.1], [41.7, 42.1], [41.6, 42.2]]]}',
    '{"type": "Point", "coordinates": [41.7151, 44.8271]}',  # Tbilisi latitude first: outside Georgia
    '{"type": "Point", "coordinates": ["41.6", 42.1]}', '{"type": "Point", "coordinates": [true, 42.1]}',
    '{"type": "Point", "coordinates": [NaN, 42.1]}', '{"type": "LineString", "coordinates": [[41.67, 42.146]]}',
    "somewhere near the port", "42.1, 41.6, 3\n", "[" * 5000,
])
def test_anything_else_is_refused_on_the_location_field(raw):
    with pytest.raises(PlaceRefused) as refused:
        geometry.parse(raw)
    assert refused.value.field == "location"


def test_a_line_has_at_most_max_points():
    many = "\n".join(f"42.1, {41 + i / 10_000}" for i in range(geometry.MAX_POINTS + 1))
    with pytest.raises(PlaceRefused):
        geometry.parse(many)


def test_an_unreadable_stored_place_reads_as_none():
    assert geometry.place("not json") is None and geometry.place(None) is None
