"""In Chromium: sign-in with 2FA, a role change, settings with live preview, the audit log;
axe-core finds nothing on any of these pages."""

from __future__ import annotations

import os
from pathlib import Path

import pyotp

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.staff_fixtures import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def sign_in(page, user, slug="poti", axe=True):
    """Password, then TOTP; ``axe=False`` for a page without JavaScript (axe needs it)."""
    page.goto(f"/{slug}/accounts/sign-in")
    assert not axe or axe_violations(page) == []
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url(f"**/{slug}/accounts/two-factor")
    assert not axe or axe_violations(page) == []
    page.fill("input[name=code]", pyotp.TOTP(user.totp_secret).now())
    page.click("#code-form button[type=submit]")
    page.wait_for_url(f"**/{slug}/admin/")


def test_sign_in_with_two_factor(page, admin_site):
    user = admin_site.staff(["admin"])
    sign_in(page, user)
    assert page.locator("h1").inner_text() == "რა გელოდებათ"
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def test_wrong_code_is_refused_with_a_message(page, admin_site):
    user = admin_site.staff(["editor"])
    page.goto("/poti/accounts/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/two-factor")
    page.fill("input[name=code]", "000000")
    page.click("#code-form button[type=submit]")
    page.locator("#code-error").wait_for()
    assert "კოდი არასწორია" in page.locator("#code-error").inner_text()
    assert axe_violations(page) == []


def test_role_change(page, admin_site):
    admin = admin_site.staff(["admin"])
    editor = admin_site.staff(["editor"])
    sign_in(page, admin)
    page.goto("/poti/admin/staff")
    assert axe_violations(page) == []
    page.click(f"text={editor.email}")
    page.wait_for_url(f"**/poti/admin/staff/{editor.id}")
    assert axe_violations(page) == []
    page.uncheck("input[name=roles][value=editor]")
    page.check("input[name=roles][value=moderator]")
    page.click("#roles-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert page.is_checked("input[name=roles][value=moderator]")
    assert not page.is_checked("input[name=roles][value=editor]")
    page.goto("/poti/admin/audit?action=staff.roles_changed")
    assert f"user:{editor.id}" in page.locator("#audit-results").inner_text()


def test_settings_change_with_live_preview(page, admin_site):
    admin = admin_site.staff(["admin"])
    sign_in(page, admin)
    page.goto("/poti/admin/settings")
    assert axe_violations(page) == []
    page.fill("input[name=primary]", "#224466")
    page.locator("#preview link[href*='224466']").wait_for(state="attached")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.preview-header')).backgroundColor === 'rgb(34, 68, 102)'")
    page.fill("input[name=primary]", "#ffff00")  # unreadable on white: the preview warns
    page.locator("#preview .error").wait_for()
    page.fill("input[name=primary]", "#224466")
    page.locator("#preview link[href*='224466']").wait_for(state="attached")
    assert page.locator("#preview .error").count() == 0
    page.click("#settings-form > button[type=submit]")
    page.locator(".flash").wait_for()
    assert axe_violations(page) == []
    page.goto("/poti/")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
        == "rgb(34, 68, 102)"
    assert csp_violations(page) == []


def test_audit_log_search(page, admin_site):
    admin = admin_site.staff(["admin"])
    sign_in(page, admin)
    page.goto("/poti/admin/audit")
    assert axe_violations(page) == []
    page.fill("input[name=action]", "sign_in.succeeded")
    page.fill("input[name=q]", f"user:{admin.id}")
    page.click("#audit-filter button[type=submit]")
    page.wait_for_url("**/audit?*")
    results = page.locator("#audit-results").inner_text()
    # The action by its label in the page's language (Georgian), not its key.
    assert "შევიდა სისტემაში" in results and admin.email in results
    assert "sign_in.succeeded" not in results
    assert axe_violations(page) == []


def test_settings_work_without_javascript(admin_browser, admin_site):
    context = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    page = context.new_page()
    admin = admin_site.staff(["admin"])
    page.goto("/poti/accounts/sign-in")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(admin.totp_secret).now())
    page.click("#code-form button[type=submit]")
    page.goto("/poti/admin/settings")
    page.fill("input[name=accent]", "#663300")
    page.click("button:has-text('წინასწარი ნახვა')")  # the Preview button: a GET that renders the page with it
    assert "accent=%23663300" in page.locator("#preview link").get_attribute("href")
    context.close()


def test_outgoing_messages_approve_held_sms(page, admin_site):
    from portal.delivery.models import OutboxMessage
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with admin_site.app.app_context():
        with tenant_context(get_directory(admin_site.app).by_slug("poti")):
            db.session.add(OutboxMessage(channel="sms", status="held", recipient="995599123456",
                                         locale="ka", body_text="სხდომა ხვალ 11:00-ზე",
                                         idempotency_key=f"e2e-held-{os.urandom(4).hex()}"))
            db.session.commit()
    sign_in(page, admin_site.staff(["admin"]))
    page.goto("/poti/admin/messages")
    assert axe_violations(page) == []
    page.select_option("#status", "held")
    page.wait_for_url("**/messages?*status=held*")
    assert "9955******56" in page.locator("#outbox-results").inner_text()
    page.screenshot(path=SCREENSHOTS / "admin-messages.png", full_page=True)
    page.check("#outbox-results input[name=ids]")
    page.click("#outbox-results button[formaction]")
    page.wait_for_url("**/messages?status=held")
    assert page.locator(".flashes").count() == 1
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def test_platform_admin_queues_a_failed_job_again(page, admin_site):
    from portal.extensions import db
    from portal.jobs.models import JobRun

    with admin_site.app.app_context():
        db.session.add(JobRun(task_id=f"e2e-{os.urandom(4).hex()}", name="purge_job_runs",
                              tenant_id=None, state="failed", attempts=3,
                              error="Traceback ...\nOperationalError: database is locked"))
        db.session.commit()
    admin = admin_site.staff([], tenant=None, platform=True)
    page.goto("/accounts/sign-in?next=/platform/jobs")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/accounts/two-factor")
    page.fill("input[name=code]", pyotp.TOTP(admin.totp_secret).now())
    page.click("#code-form button[type=submit]")
    page.wait_for_url("**/platform/jobs")
    assert axe_violations(page) == []
    page.select_option("#state", "failed")
    page.wait_for_url("**/jobs?*state=failed*")
    page.screenshot(path=SCREENSHOTS / "platform-jobs.png", full_page=True)
    page.locator("#jobs-results button[type=submit]").first.click()
    page.wait_for_url("**/platform/jobs?state=failed")
    assert "purge_job_runs" in page.locator(".flashes").inner_text()
    assert axe_violations(page) == []
    assert csp_violations(page) == []
