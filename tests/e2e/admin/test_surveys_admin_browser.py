"""In Chromium: an editor builds a survey from the staff's forms (a question, a second
section, a question shown only for one answer of the first), publishes it, a citizen answers
it, and the editor reads the live results and the printable report. Zero axe violations on
every staff page (in both languages) and no CSP violation."""

from __future__ import annotations

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import screenshot

ADMIN = "/poti/admin/surveys/"


def _follow(page, target: str) -> None:
    """Click and wait for the page it leads to (htmx swaps the body of a boosted page)."""
    page.evaluate("document.querySelector('main').dataset.stale = '1'")
    page.click(target)
    page.wait_for_selector("main:not([data-stale])")
    page.wait_for_load_state()


def test_build_publish_answer_and_read_a_survey(page, admin_browser, admin_site):
    sign_in(page, admin_site.staff(["editor"]))
    page.goto(ADMIN)
    assert axe_violations(page) == []
    _follow(page, f"main a[href='{ADMIN}new']")
    assert axe_violations(page) == []
    page.fill("#title", "ავტობუსები")
    page.fill("#title_en", "Buses")
    _follow(page, "#survey-settings button[type=submit]")
    assert page.locator("h1").inner_text() == "ავტობუსები"
    assert axe_violations(page) == []

    _follow(page, "main a:has-text('კითხვის დამატება')")
    assert axe_violations(page) == []
    page.select_option("#kind", "single")
    page.fill("#text", "დადიხართ ავტობუსით?")
    page.fill("#text_en", "Do you take the bus?")
    page.fill("#options", "დიახ | Yes\nარა | No")
    page.check("#is_required")
    _follow(page, "#question-form button[type=submit]")
    assert "დადიხართ ავტობუსით?" in page.inner_text("main")

    page.fill("#section-form #title", "დეტალები")
    _follow(page, "#section-form button[type=submit]")
    page.locator("main a:has-text('კითხვის დამატება')").nth(1).click()
    page.wait_for_selector("#question-form #condition")
    assert axe_violations(page) == []
    page.select_option("#kind", "rating")
    page.fill("#text", "შეაფასეთ ავტობუსები")
    page.select_option("#condition", index=0)  # only after "yes"
    _follow(page, "#question-form button[type=submit]")
    assert "მხოლოდ კითხვის „დადიხართ ავტობუსით?“ ზოგიერთი პასუხის შემდეგ" in page.inner_text("main")

    page.select_option("#status", "published")
    _follow(page, "#status-form button[type=submit]")
    assert "სტატუსი შეიცვალა." in page.inner_text("main")
    survey_url = page.url
    screenshot(page, "surveys-admin-builder")
    public = survey_url.replace("/admin/surveys/", "/surveys/")

    citizen = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    visitor = citizen.new_page()
    visitor.goto(f"{public}/answer")
    visitor.check("#survey-form input[value=o1]")
    visitor.click("#survey-form button[value=next]")
    visitor.wait_for_selector("legend:has-text('შეაფასეთ ავტობუსები')")
    visitor.check("#survey-form input[value='4']")
    visitor.click("#survey-form button[value=next]")
    visitor.wait_for_url("**/thanks")
    citizen.close()

    page.goto(f"{survey_url}/results")
    assert page.locator("svg.chart-bars").count() == 2
    assert axe_violations(page) == []
    page.goto(f"{survey_url}/report")
    assert page.locator("table.result-table").count() == 2
    assert axe_violations(page) == []
    page.emulate_media(media="print")  # the print CSS: no navigation, the charts and tables only
    assert not page.locator(".admin-nav").is_visible() and not page.locator(".site-header").is_visible()
    page.screenshot(path=str(screenshot(page, "surveys-report-print")[0]), full_page=True, caret="initial")
    page.emulate_media(media="screen")
    page.goto(f"{survey_url}/settings")
    assert axe_violations(page) == []
    assert csp_violations(page) == []
