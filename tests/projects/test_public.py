"""The public pages: the list with its filters (status, unit, year), drafts hidden, the words
that stand without a map, the project's page (timeline, photos, Open Graph, the subscribe
link), GeoJSON, the Atom feed, the tile server in the CSP; bad input is never a 500; each
municipality sees only its own projects."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

import pytest

from portal.blueprints.projects.settings import projects_settings
from portal.extensions import db
from tests.projects.factories import make_project

LIST = "/poti/projects/"


@pytest.fixture
def three(app, poti):
    return {
        "road": make_project(app, poti, title="გზა ცენტრში", unit="ცენტრი", status="in_progress",
                             percent_complete=50, starts_on=date(2026, 3, 1), ends_on=date(2027, 6, 30), photo=True),
        "park": make_project(app, poti, title="პარკი მალთაყვაში", unit="მალთაყვა", status="planned",
                             percent_complete=0, location="42.1236, 41.6585", starts_on=date(2027, 3, 1),
                             ends_on=date(2027, 9, 30)),
        "draft": make_project(app, poti, title="მონახაზი პროექტი", published=False),
    }


def test_the_list_shows_published_projects_with_their_place_in_words(client, three):
    page = client.get(LIST)
    assert page.status_code == 200
    assert "გზა ცენტრში" in page.text and "პარკი მალთაყვაში" in page.text
    assert "მონახაზი პროექტი" not in page.text
    assert "რუკაზე: წერტილი 42.1236° ჩ. გ., 41.6585° ა. გ." in page.text
    assert "რუკაზე: 0.79 კმ სიგრძის ხაზი" in page.text
    assert "data-map" in page.text and " hidden " in page.text  # shown by its script only
    assert "<script>" not in page.text.split("<main", 1)[1]


def test_filters_by_status_unit_and_year(client, three):
    assert "პარკი" not in client.get(f"{LIST}?status=in_progress").text
    page = client.get(f"{LIST}?unit={quote('მალთაყვა')}")
    assert "პარკი მალთაყვაში" in page.text and "გზა ცენტრში" not in page.text
    page = client.get(f"{LIST}?year=2026")
    assert "გზა ცენტრში" in page.text and "პარკი მალთაყვაში" not in page.text
    assert client.get(f"{LIST}?year=2028").text.count("project-item") == 0
    fragment = client.get(f"{LIST}?status=planned", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="results"') and "Vary" in fragment.headers
    for bad in ("?year=abc", "?year=99999999999999999999", "?status=%00", "?unit=x&page=-3", "?page=abc"):
        assert client.get(LIST + bad).status_code in (200, 400), bad


def test_abasha_without_units_has_no_unit_filter_and_none_of_potis_projects(client, three, app, abasha):
    make_project(app, abasha, title="მარნის გზა")
    page = client.get("/abasha/projects/")
    assert 'id="unit"' not in page.text and "მარნის გზა" in page.text and "გზა ცენტრში" not in page.text
    assert 'id="unit"' in client.get(LIST).text
    assert client.get(f"/abasha/projects/{three['road']}").status_code == 404


def test_the_project_page_has_its_timeline_photos_open_graph_and_subscribe_link(client, three):
    client.set_cookie("lang", "en")
    page = client.get(f"/poti/projects/{three['road']}")
    assert page.status_code == 200
    assert 'property="og:title" content="Road rehabilitation"' in page.text
    assert 'property="og:image" content="http://poti.gov.ge/projects/' in page.text
    assert "The works began." in page.text and 'srcset="' in page.text
    assert f"/poti/subscriptions/?topic=projects.project:{three['road']}" in page.text
    assert "In progress" in page.text and "50%" in page.text
    assert client.get(f"/poti/projects/{three['draft']}").status_code == 404


def test_subscribing_to_one_projects_updates(client, three):
    page = client.get(f"/poti/subscriptions/?topic=projects.project:{three['road']}")
    assert page.status_code == 200 and "გზა ცენტრში" in page.text
    assert client.get(f"/poti/subscriptions/?topic=projects.project:{three['draft']}").status_code in (200, 404)


def test_geojson_and_the_feed(client, three):
    response = client.get(f"{LIST}projects.geojson?status=in_progress")
    assert response.mimetype == "application/geo+json"
    collection = json.loads(response.data)
    assert [f["properties"]["title"] for f in collection["features"]] == ["გზა ცენტრში"]
    assert collection["features"][0]["geometry"]["type"] == "LineString"
    assert collection["features"][0]["properties"]["url"] == f"/poti/projects/{three['road']}"
    feed = client.get(f"{LIST}updates.atom")
    assert feed.mimetype == "application/atom+xml"
    assert "სამუშაოები დაიწყო." in feed.text and "მონახაზი" not in feed.text
    assert f'href="http://poti.gov.ge/projects/{three["road"]}#update-' in feed.text


def test_the_tile_server_is_a_setting_allowed_by_the_csp(app, client, poti, three):
    app.config.pop("PORTAL_MAP_TILES", None)
    try:
        page = client.get(LIST)
        assert "https://tile.openstreetmap.org" in page.headers["Content-Security-Policy"]
        assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page.text
        with app.app_context():
            projects_settings.set_many({"tile_url": "https://tiles.example.ge/{z}/{x}/{y}.png"}, tenant_id=poti.id)
            db.session.commit()
        app.extensions["csp_by_tenant"] = {}
        page = client.get(LIST)
        assert "https://tiles.example.ge" in page.headers["Content-Security-Policy"]
        assert "tile.openstreetmap.org" not in page.headers["Content-Security-Policy"]
        with app.app_context():
            projects_settings.set_many({"tile_url": None}, tenant_id=poti.id)
            db.session.commit()
        app.extensions["csp_by_tenant"] = {}
        page = client.get(LIST)
        assert "tiles.example.ge" not in page.headers["Content-Security-Policy"] and 'data-tiles=""' in page.text
    finally:
        app.config["PORTAL_MAP_TILES"] = ""
        app.extensions["csp_by_tenant"] = {}


def test_in_tests_no_tiles_are_fetched(client):
    page = client.get(LIST)
    assert "openstreetmap" not in page.headers["Content-Security-Policy"]


def test_list_page_geojson_and_feed_query_counts_are_constant(app, client, poti):
    from tests.helpers import count_queries

    def queries(url) -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = (LIST, f"{LIST}projects.geojson", f"{LIST}updates.atom")
    make_project(app, poti, photo=True)
    few = {url: queries(url) for url in urls}
    for n in range(5):
        make_project(app, poti, title=f"პროექტი {n}", photo=n % 2 == 0)
    assert {url: queries(url) for url in urls} == few
    project_id = make_project(app, poti, title="ბევრი სიახლე")
    page = f"/poti/projects/{project_id}"
    one = queries(page)
    from portal.blueprints.projects import services
    from portal.blueprints.projects.models import Project
    from portal.tenancy import tenant_context
    from tests.projects.factories import jpeg

    with app.app_context(), tenant_context(poti):
        project = db.session.get(Project, project_id)
        for n in range(3):
            services.post_update(project, happened_on=date(2026, 6, n + 1), body=f"სიახლე {n}",
                                 photo=jpeg(), alt="ფოტო")
        db.session.commit()
    assert queries(page) == one
