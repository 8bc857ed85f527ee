"""The archive in headless Chromium: search as you type, filters, play-from-here, live banner,
and zero axe violations. Runs against a live server with the demo archive loaded."""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(chromium):
    # One Playwright per process: share the suite's browser (tests/e2e/conftest.py).
    return chromium


@pytest.fixture
def page(browser):
    # axe is evaluated over the DevTools protocol: the real CSP stays on.
    context = browser.new_context()
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list:
    return axe_problems(page)


def test_search_as_you_type_and_play_from_here(page, live_url):
    page.goto(f"{live_url}/poti/sessions/search", wait_until="domcontentloaded")
    page.wait_for_function("() => window.htmx !== undefined")
    page.fill("#q", "წყალარ")
    page.wait_for_selector("#results mark")
    assert "q=" in page.url  # hx-push-url
    assert axe_violations(page) == []
    screenshot(page, "archive-search-results")
    link = page.locator("#results a.play").first
    href = link.get_attribute("href")
    assert "t=" in href and "#player" in href
    link.click()
    page.wait_for_selector("#player iframe")
    src = page.locator("#player iframe").get_attribute("src")
    assert "youtube-nocookie.com/embed/" in src and "start=" in src


@pytest.mark.parametrize("typed", [
    "მალთაყვა",  # the dictionary form; the recording says მალთაყვის
    "maltakva",  # typed in Latin letters
])
def test_another_word_form_and_latin_typing_find_the_moment(page, live_url, typed):
    """The demo recording says "მალთაყვის უბანში" at 5:02; neither query is in its text."""
    page.goto(f"{live_url}/poti/sessions/search", wait_until="domcontentloaded")
    page.wait_for_function("() => window.htmx !== undefined")
    page.fill("#q", typed)
    hit = page.locator("#results li.hit", has=page.locator("mark", has_text="მალთაყვის"))
    hit.first.wait_for()
    if typed == "maltakva":
        assert "მალთაყვა" in page.locator("#results .search-also").inner_text()
    else:
        assert page.locator("#results .results-forms").count() >= 1
    assert axe_violations(page) == []
    screenshot(page, f"archive-search-{'latin' if typed.isascii() else 'word-forms'}")
    link = hit.first.locator("a.play")
    assert "t=302" in link.get_attribute("href")
    link.click()
    page.wait_for_selector("#player iframe")
    assert "start=302" in page.locator("#player iframe").get_attribute("src")


def test_an_english_query_is_offered_in_georgian_letters(page, live_url):
    page.goto(f"{live_url}/poti/sessions/search?q=budget", wait_until="domcontentloaded")
    offer = page.locator("#results .empty a[lang=ka]")
    assert offer.inner_text() == "ბუდგეთ"
    assert axe_violations(page) == []


def test_year_filter_updates_results(page, live_url):
    page.goto(f"{live_url}/abasha/sessions/search?q=გზებ", wait_until="domcontentloaded")
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.locator("#results .result").count() >= 1
    page.select_option("#year", "2025")
    page.wait_for_url("**year=2025**")
    assert page.locator("#results .result").count() >= 1


def test_live_banner_and_pages_are_accessible(page, live_url):
    for path in ("/poti/", "/poti/sessions/", "/poti/sessions/members/nino-beridze",
                 "/search?q=სხდომ"):
        page.goto(live_url + path, wait_until="domcontentloaded")
        assert axe_violations(page) == [], path
    page.goto(f"{live_url}/poti/", wait_until="domcontentloaded")
    banner = page.locator(".live-banner")
    assert banner.count() == 1
    banner.locator("a").click()
    page.wait_for_selector("#player iframe")
    assert page.locator(".live-banner").count() >= 1
    assert axe_violations(page) == []


def test_search_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/poti/sessions/search", wait_until="domcontentloaded")
    page.fill("#q", "ბიუჯ")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("#results mark")
    context.close()


def test_a_machine_transcript_is_found_and_plays_from_its_second(page, live_url):
    """Abasha's Facebook recording without captions has a machine transcript (the demo
    stores it as the speech-to-text job does): a word of it finds the line, the result plays
    from that line's second, and the page says the transcript may contain errors."""
    page.goto(f"{live_url}/abasha/sessions/search?q=ზაფხულამდე", wait_until="domcontentloaded")
    result = page.locator("#results .result").filter(has_text="ზაფხულამდე").first
    link = result.locator("a.play").first
    href = link.get_attribute("href")
    assert "t=63" in href and "#player" in href
    assert axe_violations(page) == []
    link.click()
    page.wait_for_selector("#player iframe")
    src = page.locator("#player iframe").get_attribute("src")
    assert "facebook.com/plugins/video.php" in src and "t=63" in src
    mark = page.locator("#machine-transcript")
    assert mark.is_visible() and "შეიძლება შეიცავდეს შეცდომებს" in mark.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "archive-machine-transcript")
