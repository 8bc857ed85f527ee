"""In Chromium: the news editor (Squire over the textarea) writes, formats and publishes an
item; the page has zero axe violations and no CSP violations."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.news.models import NewsItem
from portal.extensions import db
from portal.tenancy import get_directory, tenant_context
from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import screenshot


def test_write_format_and_publish(page, admin_site):
    sign_in(page, admin_site.staff(["editor"]))
    page.goto("/poti/admin/news/new")
    page.locator(".rich-text-area").first.wait_for()
    assert axe_violations(page) == []
    page.fill("#title", "ბრაუზერის სიახლე")
    area = page.locator("#body-editor")
    area.click()
    page.keyboard.type("მნიშვნელოვანი ")
    page.locator(".rich-text-toolbar").first.locator("button").first.click()  # bold
    page.keyboard.type("ტექსტი")
    screenshot(page, "news-editor")
    page.click("#news-form button[value=publish]")
    page.locator(".flash").wait_for()
    assert axe_violations(page) == []
    assert csp_violations(page) == []
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
        with tenant_context(poti):
            item = db.session.scalar(select(NewsItem).where(NewsItem.title == "ბრაუზერის სიახლე"))
            assert item.status == "published"
            assert "<b>ტექსტი</b>" in item.body and item.body.startswith("<p>")


def test_editor_without_javascript(admin_browser, admin_site):
    context = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, admin_site.staff(["editor"]), axe=False)
    page.goto("/poti/admin/news/new")
    assert page.locator("textarea#body").is_visible()
    assert page.locator(".rich-text-area").count() == 0
    page.fill("#title", "უსკრიპტო სიახლე")
    page.fill("#body", "პირველი აბზაცი\n\nმეორე აბზაცი")
    page.click("#news-form button[value=publish]")
    page.locator(".flash").wait_for()
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
        with tenant_context(poti):
            item = db.session.scalar(select(NewsItem).where(NewsItem.title == "უსკრიპტო სიახლე"))
            assert item.status == "published" and item.body == "<p>პირველი აბზაცი</p><p>მეორე აბზაცი</p>"
    context.close()
