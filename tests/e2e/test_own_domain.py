"""Poti's own domain: Chromium resolves poti.gov.ge to the live server (--host-resolver-rules)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import (
    OWN_DOMAIN,
    axe_problems,
    click_and_load,
    screenshot,
)

#: Chromium ignores (and reports) COOP on a plain-http origin other than 127.0.0.1/localhost;
#: a municipality's own domain is served over HTTPS in production, where the header applies.
HTTP_ONLY_NOTICE = ("Cross-Origin-Opener-Policy header has been ignored",)


@pytest.fixture
def own_domain(live_server) -> str:
    return f"http://{OWN_DOMAIN}:{live_server.port}"


def local_paths(page) -> list[str]:
    urls = page.eval_on_selector_all("a[href], link[href], form[action]",
                                     "els => els.map(e => e.href || e.action)")
    return [urlsplit(u).path for u in urls if urlsplit(u).hostname == OWN_DOMAIN]


def test_own_domain_serves_poti_at_root(open_page, own_domain):
    page, watch = open_page("/", base=own_domain)
    assert page.locator("h1").inner_text() == "ფოთის მუნიციპალიტეტი"
    paths = local_paths(page)
    assert "/" in paths and "/tour/" in paths and "/theme.css" in paths
    assert not [p for p in paths if p.startswith("/poti")], paths
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)
    screenshot(page, "own-domain-poti-ka")

    page.locator(".main-nav").get_by_role("link", name="ვირტუალური ტური").click()
    page.wait_for_url(f"{own_domain}/tour/")
    expect(page.locator("h1")).to_have_text("ვირტუალური ტური და ღირსშესანიშნაობები")
    assert not [p for p in local_paths(page) if p.startswith("/poti")]

    click_and_load(page, page.get_by_role("button", name="English"))
    assert page.url == f"{own_domain}/tour/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert watch.problems(page, allow=HTTP_ONLY_NOTICE) == []


def test_own_domain_without_javascript(open_page, own_domain):
    page, watch = open_page("/tour/", base=own_domain, js=False)
    click_and_load(page, page.locator(".main-nav").get_by_role("link", name="მთავარი"))
    assert page.url == f"{own_domain}/"
    assert page.locator("h1").inner_text() == "ფოთის მუნიციპალიტეტი"
    assert watch.problems(page, allow=HTTP_ONLY_NOTICE) == []
