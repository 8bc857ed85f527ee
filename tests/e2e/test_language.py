"""The language switch: a real form, remembered in a cookie, with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import click_and_load


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_switch_to_english_is_remembered_and_reversible(open_page, js):
    page, watch = open_page("/poti/", js=js)
    html = page.locator("html")
    assert html.get_attribute("lang") == "ka"
    assert page.locator("h1").inner_text() == "ფოთის მუნიციპალიტეტი"

    click_and_load(page, page.get_by_role("button", name="English"))
    assert html.get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Poti Municipality"
    assert page.url.endswith("/poti/"), "the switch returns to the same page"

    page.locator(".main-nav").get_by_role("link", name="Virtual tour and sights").click()
    page.wait_for_url("**/poti/tour/")
    expect(page.locator("h1")).to_have_text("Virtual tour and sights")
    assert html.get_attribute("lang") == "en", "the choice is remembered on the next page"

    click_and_load(page, page.get_by_role("button", name="ქართული"))
    assert html.get_attribute("lang") == "ka"
    assert page.locator("h1").inner_text() == "ვირტუალური ტური და ღირსშესანიშნაობები"
    assert page.url.endswith("/poti/tour/")
    assert watch.problems(page) == []


def test_language_choice_applies_to_the_platform_page(open_page, live_server):
    page, watch = open_page("/abasha/")
    click_and_load(page, page.get_by_role("button", name="English"))
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Abasha Municipality").is_visible()
    assert watch.problems(page) == []
