"""Navigation: boosted by htmx with JavaScript on (no reload, focus on <main>), plain links
without it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.browser import click_and_load


def test_boosted_navigation_keeps_the_page_and_moves_focus(open_page):
    page, watch = open_page("/poti/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("window.__noReload = 'still here'")
    home_title = page.title()

    with page.expect_request("**/poti/tour/") as request_info:
        page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური და ღირსშესანიშნაობები").click()
    assert request_info.value.headers.get("hx-boosted") == "true"
    page.wait_for_url("**/poti/tour/")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")

    assert page.evaluate("window.__noReload") == "still here", "the page was reloaded"
    assert page.title() != home_title and page.title().startswith("ვირტუალური ტური")
    assert page.locator("h1").inner_text() == "ვირტუალური ტური და ღირსშესანიშნაობები"
    current = page.locator(".main-nav a[aria-current=page]")
    assert current.inner_text() == "ვირტუალური ტური და ღირსშესანიშნაობები"

    # No page snapshots are kept (historyCacheSize 0): going back reloads the home page.
    page.go_back()
    page.wait_for_url("**/poti/")
    expect(page.locator("h1")).to_have_text("ფოთის მუნიციპალიტეტი")
    assert watch.problems(page) == []


def test_links_work_without_javascript(open_page, live_server):
    page, watch = open_page("/", js=False)
    click_and_load(page, page.get_by_role("link", name="აბაშის მუნიციპალიტეტი"))
    assert page.url == f"{live_server.url}/abasha/"
    assert page.locator("h1").inner_text() == "აბაშის მუნიციპალიტეტი"

    click_and_load(page, page.get_by_role("link", name="პორტალის ყველა მუნიციპალიტეტი"))
    assert page.url == f"{live_server.url}/"
    click_and_load(page, page.get_by_role("link", name="ფოთის მუნიციპალიტეტი"))
    click_and_load(page, page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური"))
    assert page.url == f"{live_server.url}/poti/tour/"
    assert page.locator("h1").inner_text() == "ვირტუალური ტური და ღირსშესანიშნაობები"
    assert watch.problems(page) == []


def test_skip_link_reaches_main(open_page):
    page, _ = open_page("/poti/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="მთავარ შინაარსზე გადასვლა")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'")


def test_keyboard_focus_is_visible(open_page):
    page, _ = open_page("/poti/")
    for _ in range(3):  # skip link, brand, language button
        page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return {tag: el.tagName, outline: s.outlineStyle, width: s.outlineWidth};
    }""")
    assert focused["tag"] == "BUTTON"
    assert focused["outline"] == "solid" and focused["width"] == "3px", focused


def test_the_menu_folds_behind_a_button_on_a_narrow_screen(open_page):
    from tests.e2e.browser import DESKTOP, MOBILE, describe_violations, run_axe

    page, watch = open_page("/poti/")
    page.set_viewport_size(MOBILE)
    toggle = page.locator(".main-nav .button-nav-toggle")
    tour = page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(tour).to_be_hidden()
    assert not run_axe(page), describe_violations(run_axe(page))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(tour).to_be_visible()
    assert not run_axe(page), describe_violations(run_axe(page))
    click_and_load(page, tour)  # a boosted navigation brings a new header: folded again
    expect(page.locator(".main-nav .button-nav-toggle")).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".main-nav").get_by_role("link", name="მთავარი")).to_be_hidden()
    page.set_viewport_size(DESKTOP)  # wide: no button, every link in view
    expect(page.locator(".main-nav .button-nav-toggle")).to_be_hidden()
    expect(page.locator(".main-nav").get_by_role("link", name="მთავარი")).to_be_visible()
    assert watch.problems(page) == []


def test_without_javascript_the_narrow_menu_stays_open(open_page):
    from tests.e2e.browser import MOBILE

    page, _ = open_page("/poti/", js=False)
    page.set_viewport_size(MOBILE)
    expect(page.locator(".main-nav .button-nav-toggle")).to_be_hidden()
    expect(page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური")).to_be_visible()
