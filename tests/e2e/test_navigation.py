"""Navigation: boosted by htmx with JavaScript on (no reload, focus on <main>), plain links
without it."""

from __future__ import annotations

from playwright.sync_api import expect


def test_boosted_navigation_keeps_the_page_and_moves_focus(open_page):
    page, watch = open_page("/poti/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("window.__noReload = 'still here'")
    home_title = page.title()

    with page.expect_request("**/poti/tour/") as request_info:
        page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური").click()
    assert request_info.value.headers.get("hx-boosted") == "true"
    page.wait_for_url("**/poti/tour/")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")

    assert page.evaluate("window.__noReload") == "still here", "the page was reloaded"
    assert page.title() != home_title and page.title().startswith("ვირტუალური ტური")
    assert page.locator("h1").inner_text() == "ვირტუალური ტური"
    current = page.locator(".main-nav a[aria-current=page]")
    assert current.inner_text() == "ვირტუალური ტური"

    # No page snapshots are kept (historyCacheSize 0): going back reloads the home page.
    page.go_back()
    page.wait_for_url("**/poti/")
    expect(page.locator("h1")).to_have_text("ფოთის მუნიციპალიტეტი")
    assert watch.problems(page) == []


def test_links_work_without_javascript(open_page):
    page, watch = open_page("/", js=False)
    page.get_by_role("link", name="აბაშის მუნიციპალიტეტი").click()
    page.wait_for_url("**/abasha/")
    assert page.locator("h1").inner_text() == "აბაშის მუნიციპალიტეტი"

    page.get_by_role("link", name="პორტალის ყველა მუნიციპალიტეტი").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="ფოთის მუნიციპალიტეტი").click()
    page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური").click()
    page.wait_for_url("**/poti/tour/")
    assert page.locator("h1").inner_text() == "ვირტუალური ტური"
    assert watch.problems(page) == []


def test_skip_link_reaches_main(open_page):
    page, _ = open_page("/poti/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="მთავარ შინაარსზე გადასვლა")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'")
