"""In Chromium: a feature's settings tab and the sections switch; axe-core finds nothing."""

from __future__ import annotations

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in


def test_feature_settings_tab_validates_and_saves(page, admin_site):
    sign_in(page, admin_site.staff(["admin"]))
    page.goto("/poti/admin/settings")
    page.click("a[href='/poti/admin/settings/petitions']")
    page.wait_for_url("**/poti/admin/settings/petitions")
    assert axe_violations(page) == []
    page.fill("input[name=threshold]", "0")
    page.click("#feature-settings-form button[type=submit]")
    page.locator("#threshold-error").wait_for()
    assert page.get_attribute("input[name=threshold]", "aria-invalid") == "true"
    assert axe_violations(page) == []
    page.fill("input[name=threshold]", "150")
    page.click("#feature-settings-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert page.input_value("input[name=threshold]") == "150"
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def test_sections_switch(page, admin_site):
    sign_in(page, admin_site.staff(["admin"]))
    page.goto("/poti/admin/settings/features")
    assert axe_violations(page) == []
    page.uncheck("input[name=on][value=tour]")
    page.click("#switch-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert not page.is_checked("input[name=on][value=tour]")
    assert axe_violations(page) == []
    page.check("input[name=on][value=tour]")
    page.click("#switch-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert page.is_checked("input[name=on][value=tour]")
    assert csp_violations(page) == []
