"""News in headless Chromium on the demo content: the list (pinned first, a filter) and an
article with its picture, in Georgian and English, zero axe violations."""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]


def _page(chromium):
    context = chromium.new_context()
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    return context.new_page()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_list_and_article(chromium, live_app, live_url, lang):
    page = _page(chromium)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    page.goto(f"{live_url}/poti/news/", wait_until="networkidle")
    items = page.locator(".news-item")
    assert items.count() >= 2
    assert "is-pinned" in items.first.get_attribute("class")
    assert items.first.locator("img[srcset]").count() == 1
    assert axe_problems(page) == []
    screenshot(page, f"news-list-{lang}")
    page.select_option("#body", "sakrebulo")
    page.click("#news-filters button[type=submit]")
    page.wait_for_url("**/poti/news/?body=sakrebulo*")
    assert page.locator(".news-item").count() == 1
    page.goto(f"{live_url}/poti/news/", wait_until="networkidle")
    page.locator(".news-item h3 a").first.click()
    page.wait_for_selector(".news-figure img")
    page.reload(wait_until="networkidle")  # a boosted navigation keeps the list's <head>
    assert page.locator("meta[property='og:title']").count() == 1
    assert page.evaluate("document.querySelector('.news-figure img').naturalWidth") > 0
    assert axe_problems(page) == []
    screenshot(page, f"news-article-{lang}")
    page.context.close()
