"""In Chromium: an editor writes a broadcast, previews the number of recipients, sends it, and
finds it among the past broadcasts; the counts page too. axe-core finds nothing on any of
them, nor a CSP violation."""

from __future__ import annotations

from portal.tenancy import get_directory
from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.subscriptions.factories import make_subscriber


def test_compose_preview_and_send_a_broadcast(page, admin_site):
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
    for _ in range(2):
        make_subscriber(admin_site.app, poti)
    sign_in(page, admin_site.staff(["editor"]))
    page.goto("/poti/admin/subscriptions/")
    assert axe_violations(page) == []
    page.goto("/poti/admin/subscriptions/broadcasts/new")
    assert axe_violations(page) == []
    page.click("#broadcast-form button[type=submit]")  # nothing written: messages beside the fields
    page.locator("#subject-error").wait_for()
    assert axe_violations(page) == []
    page.select_option("#topic", "emergency")
    page.fill("#subject", "წყალი შეწყდება")
    page.fill("#text", "ხვალ 10-დან 14 საათამდე წყალი არ იქნება.")
    page.click("#broadcast-form button[type=submit]")
    page.wait_for_url("**/broadcasts/new?*preview=1*")
    assert "2" in page.locator("main strong").inner_text()
    assert axe_violations(page) == []
    page.locator("#broadcast-send button").click()
    page.wait_for_url("**/poti/admin/subscriptions/broadcasts*")
    page.locator(".flash").wait_for()
    assert "წყალი შეწყდება" in page.locator("main table").inner_text()
    assert axe_violations(page) == []
    assert csp_violations(page) == []
