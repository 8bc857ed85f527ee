"""In Chromium: the moderation queue and a petition's review page (ask for changes with and
without a note), and the clerk's voter count; axe-core finds nothing on any of them."""

from __future__ import annotations

from portal.tenancy import get_directory
from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.petitions.admin_factories import make_petition


def test_moderation_queue_and_review(page, admin_site):
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
    pid = make_petition(admin_site.app, poti, title="სანაპიროს განათება")
    sign_in(page, admin_site.staff(["moderator"]))
    page.goto("/poti/admin/petitions/moderation/")
    assert axe_violations(page) == []
    page.click(f"a[href='/poti/admin/petitions/moderation/{pid}']")
    page.wait_for_url(f"**/poti/admin/petitions/moderation/{pid}")
    assert axe_violations(page) == []
    page.click("#changes-form button[type=submit]")
    page.locator("#note-error").wait_for()
    assert axe_violations(page) == []
    page.fill("#changes-form textarea[name=note]", "დააზუსტეთ, რომელ ქუჩას ეხება")
    page.click("#changes-form button[type=submit]")
    page.locator(".flash").wait_for()
    page.wait_for_url("**/poti/admin/petitions/moderation/")
    assert "სანაპიროს განათება" not in page.content()
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def test_voter_count_page(page, admin_site):
    sign_in(page, admin_site.staff(["clerk"]))
    page.goto("/poti/admin/petitions/voters")
    assert axe_violations(page) == []
    page.fill("#voters-form input[name=voters]", "20013")
    page.fill("#voters-form input[name=counted_on]", "2022-06-21")
    page.click("#voters-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert "201" in page.content()
    assert axe_violations(page) == []
