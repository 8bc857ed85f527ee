"""Subscriptions in headless Chromium: the subscribe page, the confirmation link's page and the
manage page, in Georgian and English, with zero axe violations; and the whole round without
JavaScript (subscribe, confirm, change topics, leave). Runs against a live server."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]


def _context(chromium, *, js=True, lang="ka", live_url=""):
    context = chromium.new_context(java_script_enabled=js)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    return context


def _last_link(live_app, path: str) -> str:
    """The link to ``path`` in the newest e-mail, as a path under the shared host."""
    from sqlalchemy import select

    from portal.delivery.models import OutboxMessage
    from portal.delivery.sealing import reveal
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with live_app.app_context(), all_tenants():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        text = reveal(message.body_text, message.secret_sealed)
    link = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text).group(1)
    return "/poti" + link


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_subscribe_confirm_and_manage(chromium, live_app, live_url, lang):
    context = _context(chromium, lang=lang, live_url=live_url)
    page = context.new_page()
    page.goto(f"{live_url}/poti/subscriptions/", wait_until="domcontentloaded")
    assert page.locator("input[name=topics]").count() >= 3
    assert axe_problems(page) == []
    screenshot(page, f"subscribe-{lang}")
    page.wait_for_function("() => window.htmx !== undefined")
    page.click("main form button[type=submit]")  # nothing filled: messages beside the fields
    page.wait_for_selector("main .error")
    assert axe_problems(page) == []
    page.fill("#email", f"browser-{lang}@example.ge")
    page.locator("input[name=topics]").first.check()
    page.click("main form button[type=submit]")
    page.wait_for_url("**/subscriptions/sent")
    assert axe_problems(page) == []

    path = _last_link(live_app, "/subscriptions/confirm/")
    for _ in range(3):  # a mail scanner's fetches confirm nothing
        page.goto(live_url + path, wait_until="domcontentloaded")
    assert axe_problems(page) == []
    page.locator("main form button").click()
    page.wait_for_selector("main [role=status]")
    assert axe_problems(page) == []
    page.locator("main a[href*='/subscriptions/manage/']").click()
    page.wait_for_selector("input[name=topics]:checked")
    assert axe_problems(page) == []
    screenshot(page, f"subscription-manage-{lang}")
    page.goto(f"{live_url}/poti/subscriptions/sms", wait_until="domcontentloaded")
    assert page.locator("#phone").count() == 1
    assert axe_problems(page) == []
    context.close()


def test_the_whole_round_without_javascript(chromium, live_app, live_url):
    context = _context(chromium, js=False, live_url=live_url)
    page = context.new_page()
    page.goto(f"{live_url}/poti/subscriptions/", wait_until="domcontentloaded")
    page.fill("#email", "nojs@example.ge")
    page.check("input[value=emergency]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/subscriptions/sent")
    page.goto(live_url + _last_link(live_app, "/subscriptions/confirm/"),
              wait_until="domcontentloaded")
    page.locator("main form button").click()
    page.wait_for_selector("main [role=status]")
    page.locator("main a[href*='/subscriptions/manage/']").click()
    page.check("input[value='sessions.upcoming']")
    page.locator("main form button", has_text="თემების შენახვა").click()
    page.wait_for_selector("main [role=status]")
    assert page.locator("input[value='sessions.upcoming']").is_checked()
    page.locator("main form button.button-danger").click()
    page.wait_for_selector("main [role=status]")
    assert "წაიშალა" in page.locator("main").inner_text()
    context.close()


def test_sms_subscription_with_the_code(chromium, live_app, live_url):
    from sqlalchemy import select

    from portal.delivery.models import OutboxMessage
    from portal.delivery.sealing import reveal
    from portal.extensions import db
    from portal.tenancy import all_tenants

    context = _context(chromium, live_url=live_url)
    page = context.new_page()
    page.goto(f"{live_url}/poti/subscriptions/sms", wait_until="domcontentloaded")
    page.fill("#phone", "555 00 11 22")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#code")
    assert axe_problems(page) == []
    with live_app.app_context(), all_tenants():
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")
                                     .order_by(OutboxMessage.id.desc())).first()
        code = re.search(r"\d{6}", reveal(message.body_text, message.secret_sealed)).group(0)
    page.fill("#code", "000000" if code != "000000" else "111111")  # a wrong try first
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_selector("#code-error")
    assert axe_problems(page) == []
    page.fill("#code", code)
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_selector("main [role=status]")
    assert page.locator("main a[href*='/subscriptions/manage/']").count() == 1
    context.close()
