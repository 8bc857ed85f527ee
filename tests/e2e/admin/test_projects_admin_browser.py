"""In Chromium: an editor adds a project (a wrong place refused on the form), publishes it
and posts an update with a photo; the public page shows the update, the photo and the map
(no tile server in tests: the shapes alone). Zero axe and CSP violations."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.projects.models import Project, ProjectPhoto
from portal.extensions import db
from portal.tenancy import get_directory, tenant_context
from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.test_projects_browser import SHOW_MAP
from tests.projects.factories import jpeg


def test_add_publish_and_post_an_update_with_a_photo(page, admin_site):
    sign_in(page, admin_site.staff(["editor"]))
    page.goto("/poti/admin/projects/new")
    assert axe_violations(page) == []
    page.fill("#title", "ბრაუზერის პროექტი")
    page.fill("#place", "ნავსადგურის ქუჩა")
    page.fill("#location", "near the port")
    page.select_option("#unit", "კუნძული")
    page.fill("#budget", "25000")
    page.click("#project-form button[type=submit]")
    page.locator("#project-form .error").first.wait_for()
    assert "„განედი, გრძედი“" in page.inner_text("#project-form")
    assert axe_violations(page) == []
    page.fill("#location", "42.1500, 41.6630\n42.1510, 41.6660")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector("form[action$='/publish'] button")
    page.click("form[action$='/publish'] button")
    page.wait_for_selector("form[action$='/unpublish'] button")
    page.fill("#happened_on", "2026-11-20")
    page.fill("#body", "ხიდის მოაჯირები შეიცვალა.")
    page.set_input_files("#photo", files=[{"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.fill("#photo_alt", "ახალი მოაჯირები")
    page.click("#update-form button[type=submit]")
    page.wait_for_selector(".project-timeline")
    assert "ხიდის მოაჯირები შეიცვალა." in page.inner_text("main")
    assert axe_violations(page) == []
    assert csp_violations(page) == []
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
        with tenant_context(poti):
            project = db.session.scalar(select(Project).where(Project.title == "ბრაუზერის პროექტი"))
            assert project.is_published and project.unit == "კუნძული" and project.budget_minor == 2_500_000
            assert db.session.scalars(select(ProjectPhoto)).first().alt == "ახალი მოაჯირები"
    page.goto(f"/poti/projects/{project.id}")
    page.wait_for_selector("[data-map]:not([hidden])")
    page.evaluate(SHOW_MAP)  # Leaflet loads on demand: scrolled into view or its button pressed
    page.wait_for_selector("[data-map][data-drawn='1']", timeout=60_000)
    page.wait_for_function("() => document.querySelector('.project-photo img').naturalWidth > 0")
    assert "ხიდის მოაჯირები შეიცვალა." in page.inner_text("main")
    assert axe_violations(page) == []
    assert csp_violations(page) == []
