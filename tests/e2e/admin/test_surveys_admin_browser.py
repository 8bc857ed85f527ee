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


def test_build_publish_and_export_in_abasha_in_english_without_javascript(admin_browser, admin_site):
    """The same flow in the other municipality and language, with JavaScript off: every form a
    full post (PRG), the printable report and the CSV export plain links. axe needs JavaScript,
    so each page is opened again, with the same cookies, in a context that has it."""
    from flask_babel import force_locale, gettext

    def t(msgid: str, **values) -> str:
        with admin_site.app.test_request_context(), force_locale("en"):
            return gettext(msgid, **values)

    admin = "/abasha/admin/surveys/"
    context = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False,
                                        viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "lang", "value": "en", "url": admin_site.url}])
    page = context.new_page()

    def axe_here() -> list[str]:
        inspector = admin_browser.new_context(base_url=admin_site.url)
        try:
            inspector.add_cookies(context.cookies())
            seen = inspector.new_page()
            seen.goto(page.url)
            return axe_violations(seen)
        finally:
            inspector.close()

    def post(target: str) -> None:
        with page.expect_navigation():
            page.click(target)
        page.wait_for_load_state()

    sign_in(page, admin_site.staff(["editor"], tenant="abasha"), slug="abasha", axe=False)
    page.goto(f"{admin}new")
    assert page.locator("html").get_attribute("lang") == "en"
    page.fill("#title", "ნაგვის გატანა")
    page.fill("#title_en", "Rubbish collection")
    post("#survey-settings button[type=submit]")
    assert page.locator("h1").inner_text() == "Rubbish collection"
    assert t("The survey is created.") in page.inner_text("main")
    assert axe_here() == []

    page.click(f"main a:has-text('{t('Add a question')}')")
    page.select_option("#kind", "single")
    post("#question-form button[type=submit]")  # no text: refused on the form, nothing saved
    assert page.locator("#question-form .error").count() >= 1
    assert axe_here() == []
    page.fill("#text", "რამდენჯერ უნდა გაიტანონ კვირაში?")
    page.fill("#text_en", "How often should it be collected each week?")
    page.fill("#options", "ერთხელ | Once\nორჯერ | Twice\nყოველდღე | Every day")
    page.check("#is_required")
    post("#question-form button[type=submit]")
    assert "How often should it be collected each week?" in page.inner_text("main")

    page.fill("#section-form #title", "დეტალები")
    page.fill("#section-form #title_en", "Details")
    post("#section-form button[type=submit]")
    page.locator(f"main a:has-text('{t('Add a question')}')").nth(1).click()
    page.wait_for_selector("#question-form #condition")
    assert axe_here() == []
    page.select_option("#kind", "long_text")
    page.fill("#text", "რატომ?")
    page.fill("#text_en", "Why?")
    page.select_option("#condition", index=2)  # only after "every day"
    post("#question-form button[type=submit]")
    assert t("only after certain answers to “%(question)s”",
             question="How often should it be collected each week?") in page.inner_text("main")

    page.select_option("#status", "published")
    post("#status-form button[type=submit]")
    assert t("The status is changed.") in page.inner_text("main")
    assert axe_here() == []
    survey_url = page.url
    public = survey_url.replace("/admin/surveys/", "/surveys/")

    citizen = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    visitor = citizen.new_page()
    visitor.goto(f"{public}/answer")
    visitor.check("#survey-form input[value=o3]")
    visitor.click("#survey-form button[value=next]")
    # a text question is one control: its words are the textarea's label (choices get a legend)
    visitor.wait_for_selector("#survey-form label[for]:has-text('რატომ?')")
    visitor.fill("#survey-form textarea", "ქუჩაში სუნია.")
    visitor.click("#survey-form button[value=next]")
    visitor.wait_for_url("**/thanks")
    citizen.close()

    page.goto(f"{survey_url}/results")
    assert page.locator("svg.chart-bars").count() == 1  # the written answers have no chart
    assert "ქუჩაში სუნია." in page.inner_text("main")  # staff read the texts
    assert axe_here() == []
    page.click(f"main a:has-text('{t('Printable report')}')")
    page.wait_for_url("**/report*")
    assert page.locator("table.result-table").count() == 1
    assert axe_here() == []
    page.go_back()
    with page.expect_download() as waiting:
        page.click(f"main a:has-text('{t('Download the answers (CSV)')}')")
    body = waiting.value.path().read_text(encoding="utf-8-sig")
    assert "ქუჩაში სუნია." in body and ("Every day" in body or "ყოველდღე" in body)
    context.close()
