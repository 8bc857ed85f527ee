"""Infrastructure projects in headless Chromium on the demo content: the list with its map
(Leaflet over a local tile server: nothing is fetched from the internet), the filters with
JavaScript (htmx swaps the list and the map draws again) and without it (plain GET, the map
stays hidden and the words say where each project is), a project's page with its timeline,
photos and map; Poti and Abasha, Georgian and English, zero axe violations. The map page's
screenshot is written to tests/e2e/screenshots/ and /work/wt/projects-map.png."""

from __future__ import annotations

import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image, ImageDraw

from tests.e2e.browser import WATCH_SCRIPT, Watch, axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

MAP_SHOT = Path("/work/wt/projects-map.png")


def _tile(z: int, x: int, y: int) -> bytes:
    """A plain map-like tile: land, a grid of streets, and water on some tiles."""
    image = Image.new("RGB", (256, 256), (242, 239, 233) if (x + y) % 5 else (170, 211, 223))
    draw = ImageDraw.Draw(image)
    for step in range(0, 256, 64):
        draw.line((step, 0, step, 256), fill=(255, 255, 255), width=5)
        draw.line((0, step, 256, step), fill=(255, 255, 255), width=5)
    draw.text((8, 8), f"{z}/{x}/{y}", fill=(150, 150, 150))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class _Tiles(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        try:
            z, x, y = (int(part) for part in self.path.strip("/").removesuffix(".png").split("/"))
        except ValueError:
            self.send_error(404)
            return
        body = _tile(z, x, y)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def tiles(live_app):
    """A local tile server, set as the map's tiles for every municipality of the live app."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadingHTTPServer(("127.0.0.1", port), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["PORTAL_MAP_TILES"] = f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
    live_app.extensions.pop("csp_by_tenant", None)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def _page(chromium, live_url, *, js=True, lang="ka"):
    context = chromium.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    context.add_init_script(WATCH_SCRIPT)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    return page, watch


#: Leaflet loads on demand (static/js/map.js): bring the map into view, as a visitor scrolls to
#: it, and press its button when it was on screen already (a map on screen at load waits for a
#: scroll or the button). In one script, so the button cannot vanish between finding it and
#: pressing it; once Leaflet is here, a swapped map draws with no help.
SHOW_MAP = """() => {
  const holder = document.querySelector('[data-map]');
  holder.scrollIntoView({block: 'center'});
  const button = holder.querySelector('[data-map-load]');
  if (button && !holder.hasAttribute('data-opening')) button.click();
}"""


def _wait_for_map(page, count: int | None = None) -> int:
    page.wait_for_selector("[data-map]:not([hidden])")
    page.evaluate(SHOW_MAP)
    page.wait_for_selector("[data-map][data-drawn]:not([hidden])", timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 0",
                           timeout=60_000)
    drawn = int(page.get_attribute("[data-map]", "data-drawn"))
    if count is not None:
        assert drawn == count
    assert page.locator(".leaflet-overlay-pane path.map-shape").count() == drawn
    return drawn


def _open_popup(page, shape: str) -> None:
    """Click a shape and wait for its popup. The screenshots just resized the window, and
    Leaflet may still be moving the map for the new size when a forced click lands (the click
    then hits where the shape was): bring the shape into view and try again, up to 3 times."""
    for attempt in range(3):
        path = page.locator(f".leaflet-overlay-pane path.{shape}").first
        path.scroll_into_view_if_needed()
        path.click(force=True)
        try:
            page.wait_for_selector(".leaflet-popup-content a", timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_the_map_lists_and_filters_in_poti(chromium, tiles, live_url, lang):
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto(f"{live_url}/poti/projects/", wait_until="networkidle")
    items = page.locator(".project-item")
    assert items.count() == 4  # the draft is not public
    _wait_for_map(page, 4)
    assert tiles in page.get_attribute("[data-map]", "data-tiles")
    assert axe_problems(page) == []
    if lang == "en":
        assert "On the map: a line of" in page.inner_text("main")
        page.screenshot(path=str(MAP_SHOT), full_page=True)
    screenshot(page, f"projects-map-{lang}")
    # A shape opens its project's popup with a link to the page.
    _open_popup(page, "map-status-completed")
    assert "/poti/projects/" in page.get_attribute(".leaflet-popup-content a", "href")
    # The filters swap the list (htmx) and the map draws what is left.
    page.select_option("#status", "in_progress")
    page.click("#project-filters button[type=submit]")
    page.wait_for_url("**/poti/projects/?status=in_progress*")
    page.wait_for_function("() => document.querySelectorAll('.project-item').length === 2")
    _wait_for_map(page, 2)
    page.select_option("#status", "")
    page.select_option("#unit", "მალთაყვა")
    page.click("#project-filters button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('.project-item').length === 1")
    _wait_for_map(page, 1)
    assert axe_problems(page) == []
    assert watch.problems(page) == []
    page.context.close()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_a_project_with_its_updates_and_photos(chromium, tiles, live_url, lang):
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto(f"{live_url}/poti/projects/", wait_until="networkidle")
    title = "Rustaveli Circle rehabilitation" if lang == "en" else "რუსთაველის რკალის რეაბილიტაცია"
    page.click(f".project-item h3 a:has-text('{title}')")
    page.wait_for_selector(".project-timeline")
    page.reload(wait_until="networkidle")  # a boosted navigation keeps the list's <head>
    assert page.locator("meta[property='og:title']").count() == 1
    assert page.locator(".project-timeline > li").count() == 2
    photos = page.locator(".project-photo img")
    assert photos.count() == 2
    photos.last.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.project-photo img')].every(i => i.naturalWidth > 0)")
    _wait_for_map(page, 1)
    subscribe = page.locator("a[href*='topic=projects.project:']")
    assert subscribe.count() == 1
    assert axe_problems(page) == []
    screenshot(page, f"project-page-{lang}")
    subscribe.click()
    page.wait_for_selector("form")
    assert title in page.inner_text("main")
    assert watch.problems(page) == []
    page.context.close()


def test_without_javascript_the_list_and_words_stand_alone(chromium, tiles, live_url):
    page, _watch = _page(chromium, live_url, js=False, lang="en")
    page.goto(f"{live_url}/poti/projects/", wait_until="domcontentloaded")
    assert not page.locator("[data-map]").is_visible()
    assert "On the map: a point at 42.1236° N, 41.6585° E." in page.inner_text("main")
    page.select_option("#status", "completed")
    with page.expect_navigation():
        page.click("#project-filters button[type=submit]")
    assert "status=completed" in page.url
    assert page.locator(".project-item").count() == 1
    assert "Island bridge repair" in page.inner_text("main")
    page.goto(f"{live_url}/poti/projects/?unit={quote('ნაბადა')}&year=2026", wait_until="domcontentloaded")
    assert page.locator(".project-item").count() == 1
    page.click(".project-item h3 a")
    page.wait_for_selector(".project-timeline")
    assert "600 metres of the channel are cleared of silt." in page.inner_text("main")
    assert not page.locator("[data-map]").is_visible()
    page.context.close()


LEAFLET = "/static/vendor/leaflet/leaflet"


def _leaflet_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if LEAFLET in url]


def test_leaflet_waits_for_the_button_when_the_map_is_on_screen_at_load(chromium, tiles, live_url):
    page, watch = _page(chromium, live_url, lang="en")
    page.set_viewport_size({"width": 1280, "height": 1400})  # the whole map and its button
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_url}/poti/projects/", wait_until="networkidle")
    holder = page.locator("[data-map]")
    assert holder.is_visible() and holder.bounding_box()["y"] + 416 < 1400
    first_card = page.locator(".project-item").first.bounding_box()["y"]
    page.wait_for_timeout(500)  # nothing comes by itself
    assert _leaflet_requests(requests) == []
    assert page.evaluate("typeof window.L") == "undefined"
    button = holder.locator("[data-map-load]")
    assert button.inner_text() == "Show the map"
    button.click()  # on screen: no scroll, only the press
    page.wait_for_selector("[data-map][data-drawn]", timeout=60_000)
    assert len(_leaflet_requests(requests)) == 2  # its script and its styles
    assert holder.locator("[data-map-load]").count() == 0
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-map')")
    # The box held its place: drawing moved nothing below it (no layout shift).
    assert page.locator(".project-item").first.bounding_box()["y"] == first_card
    assert watch.problems(page) == []
    page.context.close()


def test_leaflet_loads_when_the_map_is_scrolled_into_view(chromium, tiles, live_url):
    page, watch = _page(chromium, live_url, lang="ka")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_url}/poti/tour/", wait_until="networkidle")
    holder = page.locator("[data-map]")
    assert holder.bounding_box()["y"] > 800  # below the fold
    page.wait_for_timeout(500)
    assert _leaflet_requests(requests) == []
    page.mouse.wheel(0, 300)  # a first scroll, the map still out of view
    page.wait_for_timeout(500)
    assert _leaflet_requests(requests) == []
    page.mouse.wheel(0, 900)
    page.wait_for_selector("[data-map][data-drawn]", timeout=60_000)
    assert len(_leaflet_requests(requests)) == 2
    assert watch.problems(page) == []
    page.context.close()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_abasha_has_its_own_projects(chromium, tiles, live_url, lang):
    page, watch = _page(chromium, live_url, lang=lang)
    page.goto(f"{live_url}/abasha/projects/", wait_until="networkidle")
    assert page.locator(".project-item").count() == 3
    assert page.locator("#unit").count() == 0  # Abasha's units are not in its settings
    _wait_for_map(page, 3)
    assert "რუსთაველის" not in page.inner_text("main")
    assert axe_problems(page) == []
    page.locator(".project-item h3 a").first.click()
    page.wait_for_selector(".project-timeline")
    _wait_for_map(page, 1)
    assert axe_problems(page) == []
    assert watch.problems(page) == []
    page.context.close()
