"""The virtual tour and sights in headless Chromium on the demo content: the provider's tour in
a titled frame (an offline stand-in) with its fallback link, the sights' map (Leaflet over the
projects' local tile server: nothing is fetched from the internet) with a marker per sight, the
category filter (htmx swaps the list, the map draws again), a sight's page with its photo and
map, the GeoJSON download, the list standing alone without JavaScript, and an editor adding a
sight with a photo; Poti and Abasha, Georgian and English, zero axe violations. The tour page's
screenshot is written to tests/e2e/screenshots/ and /work/wt/tour-page.png."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest

from tests.e2e.browser import WATCH_SCRIPT, Watch, axe_problems, keep_offline, screenshot
from tests.e2e.test_projects_browser import _open_popup, _wait_for_map, tiles  # noqa: F401 - a fixture
from tests.projects.factories import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

TOUR_SHOT = Path("/work/wt/tour-page.png")
POTI_SIGHTS = 6  # published; the seventh is a draft
ABASHA_SIGHTS = 4


def _page(chromium, live_url, *, js=True, lang="ka"):
    context = chromium.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 800},
                                   base_url=live_url, accept_downloads=True)
    context.route("**/*", keep_offline)  # the tour's frame gets an offline stand-in
    context.add_init_script(WATCH_SCRIPT)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    return page, watch


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_poti_tour_map_filter_and_download(chromium, tiles, live_url, lang):  # noqa: F811
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto("/poti/tour/", wait_until="networkidle")
    frame = page.locator(".embed iframe")
    assert frame.get_attribute("src") == "https://tours.nala.ge/Poti-3d-Guide"
    assert frame.get_attribute("title")
    assert page.locator("a[href='https://tours.nala.ge/Poti-3d-Guide']").count() == 1
    assert page.locator(".sight-item").count() == POTI_SIGHTS
    _wait_for_map(page, POTI_SIGHTS)
    assert tiles in page.get_attribute("[data-map]", "data-tiles")
    # Thumbs load lazily: bring the last one near, then wait for all (a busy machine is slow).
    page.locator(".sight-thumb").last.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.sight-thumb')].every(i => i.complete)",
                           timeout=90_000)
    page.evaluate("window.scrollTo(0, 0)")
    assert axe_problems(page) == []
    if lang == "en":
        assert "Lake Paliastomi" in page.inner_text("main")
        page.screenshot(path=str(TOUR_SHOT), full_page=True)
    screenshot(page, f"tour-{lang}")
    # A marker opens its sight's popup with a link to the page.
    _open_popup(page, "map-category-religious")
    assert "/poti/tour/sights/" in page.get_attribute(".leaflet-popup-content a", "href")
    # The GeoJSON download parses and holds every published sight.
    with page.expect_download() as download:
        page.click("a[href$='/poti/tour/sights.geojson']")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == POTI_SIGHTS
    assert {f["geometry"]["type"] for f in data["features"]} == {"Point"}
    # The filter swaps the list (htmx) and the map draws what is left.
    page.select_option("#category", "natural")
    page.click("#sight-filters button[type=submit]")
    page.wait_for_url("**/poti/tour/?category=natural*")
    page.wait_for_function("() => document.querySelectorAll('.sight-item').length === 3")
    _wait_for_map(page, 3)
    assert axe_problems(page) == []
    assert watch.problems(page) == []
    page.context.close()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_a_sights_page(chromium, tiles, live_url, lang):  # noqa: F811
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto("/poti/tour/", wait_until="networkidle")
    name = "Poti Lighthouse" if lang == "en" else "ფოთის შუქურა"
    page.click(f".sight-item h4 a:has-text('{name}')")
    page.wait_for_selector(".sight-photo img")
    page.reload(wait_until="networkidle")  # a boosted navigation keeps the list's <head>
    assert page.locator("h1").inner_text() == name
    assert page.locator("meta[property='og:image']").count() == 1
    page.wait_for_function("() => document.querySelector('.sight-photo img').naturalWidth > 0")
    _wait_for_map(page, 1)
    assert ("1864" in page.inner_text("main"))
    assert axe_problems(page) == []
    screenshot(page, f"tour-sight-{lang}")
    assert watch.problems(page) == []
    page.context.close()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_abasha_has_its_sights_without_a_tour(chromium, tiles, live_url, lang):  # noqa: F811
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto("/abasha/tour/", wait_until="networkidle")
    assert page.locator("iframe").count() == 0
    assert page.locator(".sight-item").count() == ABASHA_SIGHTS
    _wait_for_map(page, ABASHA_SIGHTS)
    assert "ფოთის" not in page.inner_text("main")
    assert axe_problems(page) == []
    screenshot(page, f"tour-abasha-{lang}")
    page.locator(".sight-item h4 a").first.click()
    page.wait_for_selector(".sight-photo img")
    _wait_for_map(page, 1)
    assert axe_problems(page) == []
    assert watch.problems(page) == []
    page.context.close()


def test_without_javascript_the_list_stands_alone(chromium, tiles, live_url):  # noqa: F811
    page, _watch = _page(chromium, live_url, js=False, lang="en")
    page.goto("/poti/tour/", wait_until="domcontentloaded")
    assert not page.locator("[data-map]").is_visible()
    assert page.locator(".sight-item").count() == POTI_SIGHTS
    main = page.inner_text("main")
    assert "On the map: a point at 42.1532° N, 41.6561° E." in main
    assert "A cast-iron lighthouse put up in 1864" in main
    page.select_option("#category", "historical")
    with page.expect_navigation():
        page.click("#sight-filters button[type=submit]")
    assert "category=historical" in page.url
    assert page.locator(".sight-item").count() == 2
    page.click(".sight-item h4 a:has-text('Port of Poti')")
    page.wait_for_selector(".sight-photo img")
    assert "entry by permit only" in page.inner_text("main")
    assert not page.locator("[data-map]").is_visible()
    page.context.close()


def test_an_editor_adds_a_sight_with_a_photo(chromium, tiles, live_app, live_url):  # noqa: F811
    from portal.tenancy import get_directory
    from tests.staff_fixtures import PASSWORD, make_staff

    with live_app.app_context():
        poti = get_directory(live_app).by_slug("poti")
    editor = make_staff(live_app, poti, ["editor"], email="tour-editor@example.org", name="E2E")
    page, watch = _page(chromium, live_url, lang="ka")
    page.goto("/poti/accounts/sign-in")
    page.fill("input[name=email]", editor.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/poti/accounts/two-factor")
    page.fill("input[name=code]", pyotp.TOTP(editor.totp_secret).now())
    page.click("#code-form button[type=submit]")
    page.wait_for_url("**/poti/admin/")
    page.goto("/poti/admin/tour/")
    assert page.locator("table.table tbody tr").count() == POTI_SIGHTS + 1
    assert axe_problems(page) == []
    page.goto("/poti/admin/tour/new")
    page.fill("#name", "ფოთის თეატრი")
    page.fill("#name_en", "Poti Theatre")
    page.select_option("#category", "cultural")
    page.fill("#location", "near the cathedral")
    page.click("#sight-form button[type=submit]")
    page.locator("#sight-form .error").first.wait_for()
    assert "„განედი, გრძედი“" in page.inner_text("#sight-form")
    assert axe_problems(page) == []
    page.fill("#location", "42.1470, 41.6735")
    page.set_input_files("#photo", files=[{"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.fill("#photo_alt", "თეატრის შენობა")
    page.click("#sight-form button[type=submit]")
    page.wait_for_selector("form[action$='/publish'] button")
    page.wait_for_function("() => document.querySelector('.admin-thumb').naturalWidth > 0")
    assert axe_problems(page) == []
    page.click("form[action$='/publish'] button")
    page.wait_for_selector("form[action$='/unpublish'] button")
    page.goto("/poti/tour/", wait_until="networkidle")
    assert page.locator(".sight-item").count() == POTI_SIGHTS + 1
    _wait_for_map(page, POTI_SIGHTS + 1)
    page.click(".sight-item h4 a:has-text('ფოთის თეატრი')")
    page.wait_for_selector(".sight-photo img")
    page.wait_for_function("() => document.querySelector('.sight-photo img').naturalWidth > 0")
    assert watch.problems(page, allow=("status of 422",)) == []  # the refused place, on purpose
    page.context.close()
