"""Letters in headless Chromium: writing to the mayor (Georgian, JavaScript on) and to the
Sakrebulo chair (English, JavaScript off; the Georgian letter with an attachment, downloaded
from the tracking page; axe, which needs JavaScript, checks those pages in
the last test), following the letter from the e-mail's link and by
code and address, the published letters and the statistics; zero axe violations on every
public letters page, in both languages. Runs against a live server with the demo letters."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")


def _context(chromium, live_url, *, js=True, lang="ka"):
    context = chromium.new_context(java_script_enabled=js)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    return context


def _last_code(live_app) -> str:
    """The tracking code in the newest e-mail (unsealed, as the mail server gets it)."""
    from sqlalchemy import select

    from portal.delivery.models import OutboxMessage
    from portal.delivery.sealing import reveal
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with live_app.app_context(), all_tenants():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        return CODE.search(reveal(message.body_text, message.secret_sealed)).group(0)


def _fill(page, email: str, subject: str) -> None:
    page.fill("#full_name", "ნინო ბერიძე")
    page.fill("#email", email)
    page.fill("#subject", subject)
    page.fill("#text", "რუსთაველის რკალზე სამი ლამპიონი არ ანათებს.")


def test_write_to_the_mayor_in_georgian_and_follow_the_letter(chromium, live_app, live_url):
    context = _context(chromium, live_url)
    page = context.new_page()
    page.goto(f"{live_url}/poti/letters/", wait_until="domcontentloaded")
    assert axe_problems(page) == []
    screenshot(page, "letters-index")
    page.click("a[href$='/letters/mayor']")
    page.wait_for_selector("#letter-form")
    assert axe_problems(page) == []
    page.wait_for_function("() => window.htmx !== undefined")
    page.click("#letter-form button[type=submit]")  # empty: errors in place (htmx, 422)
    page.wait_for_selector("#letter-form .error")
    assert "ეს ველი სავალდებულოა." in page.inner_text("#letter-form")
    assert axe_problems(page) == []
    _fill(page, "browser-ka@example.ge", "ლამპიონები რკალზე")
    page.select_option("#unit", "ცენტრი")
    page.set_input_files("#attachments", files=[{  # sent by htmx as multipart
        "name": "რკალი.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#letter-form button[type=submit]")
    page.wait_for_url("**/letters/sent")
    assert axe_problems(page) == []

    code = _last_code(live_app)
    page.goto(f"{live_url}/poti/letters/track/{code}", wait_until="domcontentloaded")
    assert "ლამპიონები რკალზე" in page.inner_text("main")
    assert "მიღებულია" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("a:has-text('რკალი.pdf')")
    assert download.value.suggested_filename == "რკალი.pdf"
    assert download.value.path().read_bytes() == PDF
    assert axe_problems(page) == []
    screenshot(page, "letter-tracked")
    context.close()


def test_write_to_the_chair_in_english_without_javascript(chromium, live_app, live_url):
    context = _context(chromium, live_url, js=False, lang="en")
    page = context.new_page()
    page.goto(f"{live_url}/poti/letters/chair", wait_until="domcontentloaded")
    page.fill("#email", "not an address")
    page.click("#letter-form button[type=submit]")
    page.wait_for_selector("#letter-form .error")
    assert "Enter an e-mail address." in page.inner_text("#letter-form")
    _fill(page, "browser-en@example.ge", "Evening sessions")
    page.click("#letter-form button[type=submit]")
    page.wait_for_url("**/letters/sent")

    code = _last_code(live_app)
    page.goto(f"{live_url}/poti/letters/track", wait_until="domcontentloaded")
    page.fill("#code", code.lower())
    page.fill("#email", "browser-en@example.ge")
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Evening sessions')")
    assert "Received" in page.inner_text("main")
    context.close()


def test_published_letters_statistics_and_the_other_pages(chromium, live_url):
    # axe needs JavaScript: the pages the test above used without it are checked here.
    context = _context(chromium, live_url, lang="en")
    page = context.new_page()
    for path in ("/poti/letters/chair", "/poti/letters/track"):
        page.goto(f"{live_url}{path}", wait_until="domcontentloaded")
        assert axe_problems(page) == []
    page.goto(f"{live_url}/poti/letters/published/", wait_until="domcontentloaded")
    assert axe_problems(page) == []
    page.locator("main li a").first.click()
    page.wait_for_selector("#reply-title")
    assert axe_problems(page) == []
    page.goto(f"{live_url}/poti/letters/statistics", wait_until="domcontentloaded")
    assert page.locator("table").count() == 1
    assert axe_problems(page) == []
    screenshot(page, "letters-statistics")
    page.goto(f"{live_url}/poti/letters/track/AAAAA-BBBBB", wait_until="domcontentloaded")
    assert axe_problems(page) == []
    context.close()
