"""Petitions in headless Chromium: the list, a petition's page, signing with JavaScript on and
off, and confirming from the e-mail's link; the page's support by unit, signatures over time
and published verification; zero axe violations in Georgian and English. Runs against a live
server with the demo petitions loaded."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.e2e.browser import WATCH_SCRIPT, Watch, axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]


def _context(chromium, js=True):
    context = chromium.new_context(java_script_enabled=js)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    return context


def _last_confirmation_path(live_app) -> str:
    """The confirmation link of the newest e-mail, as a path under the shared host."""
    from sqlalchemy import select

    from portal.delivery.models import OutboxMessage
    from portal.delivery.sealing import reveal
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with live_app.app_context(), all_tenants():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        text = reveal(message.body_text, message.secret_sealed)
    link = re.search(r"https?://\S+/petitions/confirm/\S+", text).group(0)
    return "/poti/petitions/confirm/" + link.rsplit("/", 1)[1]


def _fill(page, n: int) -> None:
    page.fill("#full_name", "ნინო ბერიძე")
    page.fill("#personal_number", f"{77_000_000_000 + n:011d}")
    page.fill("#email", f"browser{n}@example.ge")
    page.check("#consent")


def test_list_petition_sign_and_confirm(chromium, live_app, live_url):
    context = _context(chromium)
    page = context.new_page()
    page.goto(f"{live_url}/poti/petitions/", wait_until="domcontentloaded")
    assert page.locator(".petition-item").count() >= 2
    assert axe_problems(page) == []
    screenshot(page, "petitions-list")
    page.goto(f"{live_url}/poti/petitions/?tab=rejected", wait_until="domcontentloaded")
    assert page.locator(".petition-item").count() >= 1
    page.goto(f"{live_url}/poti/petitions/", wait_until="domcontentloaded")
    page.locator(".petition-item a").first.click()
    page.wait_for_selector("progress")
    petition_path = urllib.parse.urlsplit(page.url).path
    assert axe_problems(page) == []
    screenshot(page, "petition-page")
    page.wait_for_function("() => window.htmx !== undefined")
    page.click("#sign a.button")  # the form opens in place (htmx)
    page.wait_for_selector("#sign form")
    assert page.url.endswith(petition_path) and axe_problems(page) == []
    page.click("#sign button[type=submit]")  # empty: errors in place (htmx, 422)
    page.wait_for_selector("#sign .error")
    assert axe_problems(page) == []
    _fill(page, 1)
    page.click("#sign button[type=submit]")
    page.wait_for_url("**/signed")
    assert axe_problems(page) == []

    path = _last_confirmation_path(live_app)
    for _ in range(3):  # a mail scanner's fetches confirm nothing
        page.goto(live_url + path, wait_until="domcontentloaded")
    assert page.locator("main form button").count() == 1
    assert axe_problems(page) == []
    page.locator("main form button").click()
    page.wait_for_selector("main [role=status]")
    assert page.locator("main form button").count() == 0
    assert axe_problems(page) == []
    screenshot(page, "petition-confirmed")
    context.close()


def test_signing_works_without_javascript(chromium, live_url):
    context = _context(chromium, js=False)
    page = context.new_page()
    page.goto(f"{live_url}/poti/petitions/", wait_until="domcontentloaded")
    page.locator(".petition-item a").nth(1).click()
    page.wait_for_selector("#sign a.button")
    page.click("#sign a.button")  # without JavaScript: the form is a page of its own
    page.wait_for_url("**/sign#sign")
    page.fill("#personal_number", "123")
    page.click("#sign button[type=submit]")
    page.wait_for_selector("#sign .error")
    _fill(page, 2)
    page.click("#sign button[type=submit]")
    page.wait_for_url("**/signed")
    context.close()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_support_chart_and_verification_sections(chromium, live_url, lang):
    """Poti's first demo petition: signers named units, a wholly marked sample."""
    context = _context(chromium)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(f"{live_url}/poti/petitions/", wait_until="domcontentloaded")
    page.locator(".petition-item a", has_text="ველობილიკი სანაპიროზე").click()
    page.wait_for_selector("#verification-title")
    for region in ("#verification-title", "#support-title", "#over-time-title",
                   "svg.chart[role=img]", ".support-table"):
        assert page.locator(region).first.is_visible(), region
    assert page.locator(".support-table tbody tr").count() == 5  # four units, not named
    assert page.locator(".chart-columns rect").count() >= 3
    page.locator(".chart-data summary").click()
    assert page.locator(".chart-data table").is_visible()
    assert axe_problems(page) == []
    assert watch.problems(page) == []
    screenshot(page, f"petition-support-{lang}")
    url = page.url
    context.close()
    plain = _context(chromium, js=False)  # the same sections without JavaScript
    page = plain.new_page()
    page.goto(url, wait_until="domcontentloaded")
    assert page.locator("svg.chart").is_visible() and page.locator(".support-table").is_visible()
    page.locator(".chart-data summary").click()
    assert page.locator(".chart-data table").is_visible()
    plain.close()
