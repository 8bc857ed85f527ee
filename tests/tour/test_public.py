"""The public tour page: the 3D tour in a titled frame (CSP: its host only) with a plain link,
the sights below it as a list that stands without the map, filtered by category; a sight's page
and photo; the GeoJSON of published sights; drafts and another municipality's sights stay out;
a municipality without a tour address still shows its sights, and with neither says so."""

from __future__ import annotations

import json
import re

from tests.tour.factories import make_sight


def test_the_tour_and_the_sights_below_it(app, client, poti):
    lighthouse = make_sight(app, poti, photo=True)
    make_sight(app, poti, name="პალიასტომის ტბა", name_en="Lake Paliastomi", category="natural",
               location="42.105, 41.715")
    make_sight(app, poti, name="მონახაზი", published=False)
    page = client.get("/poti/tour/")
    assert page.status_code == 200
    text = page.text
    assert '<iframe src="https://tours.nala.ge/Poti-3d-Guide" title="' in text
    assert 'href="https://tours.nala.ge/Poti-3d-Guide"' in text  # the fallback link
    frames = re.search(r"frame-src ([^;]+)", page.headers["Content-Security-Policy"]).group(1).split()
    assert "https://tours.nala.ge" in frames and not any("nala" in f and f != "https://tours.nala.ge" for f in frames)
    # The list says it all without the map: names, categories, address, the point in words.
    assert "ფოთის შუქურა" in text and "პალიასტომის ტბა" in text and "მონახაზი" not in text
    assert "ზღვის სანაპირო" in text and "42.1532" in text
    assert "data-map" in text and " hidden " in text  # the map is shown by its script only
    assert 'href="/poti/tour/sights.geojson"' in text
    assert f"/poti/tour/sights/{lighthouse}/photo?w=400" in text


def test_the_category_filter_with_and_without_htmx(app, client, poti):
    make_sight(app, poti)
    make_sight(app, poti, name="პალიასტომის ტბა", category="natural", location="42.105, 41.715")
    page = client.get("/poti/tour/?category=natural")
    assert "პალიასტომის ტბა" in page.text and "ფოთის შუქურა" not in page.text
    assert 'data-geojson-url="/poti/tour/sights.geojson?category=natural"' in page.text
    fragment = client.get("/poti/tour/?category=historical", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "ფოთის შუქურა" in fragment.text
    assert "პალიასტომის ტბა" not in fragment.text and fragment.headers["Vary"].count("HX-Request")
    # Unknown categories are no filter.
    assert "პალიასტომის ტბა" in client.get("/poti/tour/?category=<x>").text


def test_geojson_of_published_sights_in_the_pages_language(app, client, poti, abasha):
    mine = make_sight(app, poti)
    make_sight(app, poti, name="მონახაზი", published=False)
    make_sight(app, abasha, name="აბაშის მუზეუმი", category="cultural", location="42.2043, 42.2047")
    client.set_cookie("lang", "en")
    response = client.get("/poti/tour/sights.geojson")
    assert response.mimetype == "application/geo+json"
    data = json.loads(response.text)
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["id"] == mine and feature["geometry"] == {"type": "Point", "coordinates": [41.6561, 42.1532]}
    assert feature["properties"]["title"] == "Poti Lighthouse"
    assert feature["properties"]["category"] == "historical"
    assert feature["properties"]["url"] == f"/poti/tour/sights/{mine}"


def test_a_sights_page_and_photo(app, client, poti, abasha):
    sight = make_sight(app, poti, photo=True)
    draft = make_sight(app, poti, name="მონახაზი", published=False)
    theirs = make_sight(app, abasha, name="აბაშის მუზეუმი")
    page = client.get(f"/poti/tour/sights/{sight}")
    assert page.status_code == 200 and "<h1" in page.text and "ფოთის შუქურა" in page.text
    assert "თუჯის შუქურა." in page.text and 'property="og:image"' in page.text
    photo = client.get(f"/poti/tour/sights/{sight}/photo?w=800")
    assert photo.mimetype == "image/webp" and "immutable" in photo.headers["Cache-Control"]
    for url in (f"/poti/tour/sights/{draft}", f"/poti/tour/sights/{theirs}", f"/abasha/tour/sights/{sight}",
                f"/poti/tour/sights/{theirs}/photo", f"/poti/tour/sights/{draft}/photo"):
        assert client.get(url).status_code == 404, url


def test_without_a_tour_address_the_sights_still_show(app, client, abasha):
    empty = client.get("/abasha/tour/")
    assert empty.status_code == 200 and "<iframe" not in empty.text
    assert "ამ საიტზე ჯერ არც ვირტუალური ტური აქვს და არც ღირსშესანიშნაობები" in empty.text
    client.set_cookie("lang", "en")
    assert "has no virtual tour or sights on this site yet" in client.get("/abasha/tour/").text
    assert "tours.nala.ge" not in empty.headers["Content-Security-Policy"]
    make_sight(app, abasha, name="აბაშის მუზეუმი", name_en="Abasha museum", category="cultural",
               location="42.2043, 42.2047")
    page = client.get("/abasha/tour/")
    assert "<iframe" not in page.text and "Abasha museum" in page.text and 'class="empty"' not in page.text
