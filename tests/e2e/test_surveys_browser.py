"""Surveys in headless Chromium on the demo content: answering the open survey with a
condition (its second page depends on the first page's answer) in both municipalities, in
Georgian and English, with JavaScript on (htmx swaps the form) and off (a page per post);
the published results of the 2021 city-wide survey (SVG charts with their tables, the filter);
a quick poll on the home page answered in place and without JavaScript. Zero axe violations
on every page (axe needs JavaScript: pages seen without it are checked again with it)."""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

#: (municipality, language, JavaScript, first answer, what page 2 must ask, what it must not)
#: Every municipality in both languages and with JavaScript on and off; each language with
#: JavaScript on and off.
RUNS = [
    ("poti", "ka", True, "o3", "რატომ არა?", "რისთვის?"),
    ("abasha", "en", True, "o1", "When would suit you?", "Why not?"),
    ("poti", "en", False, "o2", "What for?", "Why not?"),
    ("abasha", "ka", False, "o3", "რატომ არა?", "როდის მოგიხერხდებათ?"),
]


def _context(chromium, live_url, *, js=True, lang="ka"):
    context = chromium.new_context(java_script_enabled=js)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    return context


@pytest.mark.parametrize(("slug", "lang", "js", "first", "asked", "not_asked"), RUNS)
def test_answer_the_open_survey_with_a_condition(chromium, live_url, slug, lang, js, first, asked, not_asked):
    context = _context(chromium, live_url, js=js, lang=lang)
    page = context.new_page()
    page.goto(f"{live_url}/{slug}/surveys/", wait_until="domcontentloaded")
    if js:
        assert axe_problems(page) == []
    page.click("section[aria-labelledby=open-title] h3 a")
    page.wait_for_selector(".survey-privacy")
    if js:
        assert axe_problems(page) == []
    page.click("main a.button")  # start the survey
    page.wait_for_selector("#survey-form")
    if js:
        page.wait_for_function("() => window.htmx !== undefined")
        assert axe_problems(page) == []
    page.click("#survey-form button[value=next]")  # nothing chosen: refused in place
    page.wait_for_selector("#survey-form .error")
    assert ("უპასუხეთ ამ კითხვას." if lang == "ka" else "Answer this question.") in page.inner_text("#survey-form")
    if js:
        assert axe_problems(page) == []
    page.check(f"#survey-form input[type=radio][value={first}]")
    page.click("#survey-form button[value=next]")
    page.wait_for_selector(f"#survey-form legend:has-text('{asked}')")
    form = page.inner_text("#survey-form")
    assert not_asked not in form and ("2 / 2" in form or "2 of 2" in form)
    if js:
        assert axe_problems(page) == []
        screenshot(page, f"surveys-answer-{slug}-{lang}")
    page.locator("#survey-form fieldset").first.locator("input").first.check()
    page.click("#survey-form button[value=next]")
    page.wait_for_url("**/thanks")
    assert ("გმადლობთ" if lang == "ka" else "Thank you") in page.inner_text("main")
    page.go_back() if js else None
    page.goto(page.url.removesuffix("/thanks"), wait_until="domcontentloaded")
    assert ("უკვე უპასუხეთ" if lang == "ka" else "already answered") in page.inner_text("main")
    context.close()


@pytest.mark.parametrize(("slug", "lang", "js"), [("poti", "en", True), ("abasha", "ka", False),
                                                 ("poti", "ka", False), ("abasha", "en", True)])
def test_published_results_of_the_city_wide_survey(chromium, live_url, slug, lang, js):
    """The charts and their tables, then filtered by an answer: in place with htmx (the
    address pushed), a plain GET without JavaScript. axe checks what a context without
    JavaScript was sent by opening the same address with it."""
    context = _context(chromium, live_url, js=js, lang=lang)
    page = context.new_page()
    page.goto(f"{live_url}/{slug}/surveys/", wait_until="domcontentloaded")
    page.click("section[aria-labelledby=past-title] li:has-text('2021') a[href$='/results']")
    page.wait_for_selector("#survey-results")
    assert page.locator("svg.chart[role=img]").count() >= 8
    assert page.locator("table.result-table").count() >= 8
    assert _axe_at(chromium, live_url, page.url, lang) == []
    if slug == "poti" and lang == "en":
        assert page.locator("svg.chart-stacked").count() >= 7  # ratings by unit, priorities
        screenshot(page, "surveys-results")
    if js:
        page.wait_for_function("() => window.htmx !== undefined")
    before = page.inner_text("#survey-results .lead")
    page.select_option("#filter", index=1)
    page.click("#results-filter button[type=submit]")
    page.wait_for_url("**/results?filter=*")  # htmx pushed the filtered address, or a GET
    page.wait_for_selector("#survey-results .lead:has-text('“')")  # "only those who answered “…”"
    assert page.inner_text("#survey-results .lead") != before
    assert page.locator("svg.chart[role=img]").count() >= 8
    assert _axe_at(chromium, live_url, page.url, lang) == []
    if not js:
        screenshot(page, f"surveys-results-filtered-{slug}-{lang}")
    context.close()


def _axe_at(chromium, live_url, url, lang):
    context = _context(chromium, live_url, lang=lang)
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        return axe_problems(page)
    finally:
        context.close()


def test_a_quick_poll_on_the_home_page(chromium, live_url):
    context = _context(chromium, live_url, lang="ka")
    page = context.new_page()
    page.goto(f"{live_url}/poti/", wait_until="domcontentloaded")
    page.wait_for_function("() => window.htmx !== undefined")
    poll = page.locator("section.poll")
    assert poll.count() == 1
    assert axe_problems(page) == []
    poll.locator("input[type=radio]").first.check()
    poll.locator("button[type=submit]").click()
    page.wait_for_selector("section.poll .poll-results")
    assert "/poti/" in page.url and "დათვლილია" in page.inner_text("section.poll")
    assert axe_problems(page) == []
    screenshot(page, "surveys-home-poll")
    context.close()
    # without JavaScript: a full post, then the poll's page with the results
    context = _context(chromium, live_url, js=False, lang="en")
    page = context.new_page()
    page.goto(f"{live_url}/abasha/", wait_until="domcontentloaded")
    page.locator("section.poll input[type=radio]").nth(1).check()
    page.locator("section.poll button[type=submit]").click()
    page.wait_for_selector("section.poll .poll-results")
    assert "/abasha/surveys/" in page.url
    context.close()
    context = _context(chromium, live_url, lang="en")
    page = context.new_page()
    page.goto(f"{live_url}/abasha/", wait_until="domcontentloaded")
    assert axe_problems(page) == []
    page.locator("section.poll a, section[aria-labelledby=home-surveys] a").last.click()
    page.wait_for_selector("#page-title")
    assert axe_problems(page) == []
    context.close()


@pytest.mark.parametrize(("slug", "lang", "js"), [("poti", "en", True), ("abasha", "ka", False)])
def test_a_quick_poll_in_a_news_article(chromium, live_app, live_url, slug, lang, js):
    """The shortcode [poll:<id>] in an article's text: answered in place with htmx, or by a
    plain post that leads to the poll's page; axe finds nothing either way."""
    from sqlalchemy import select

    from portal.blueprints.surveys.models import Survey
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context
    from tests.news.factories import make_item

    with live_app.app_context():
        tenant = get_directory(live_app).by_slug(slug)
        with tenant_context(tenant):
            poll = db.session.scalar(select(Survey.id).where(Survey.kind == "poll",
                                                             Survey.status == "published"))
            db.session.remove()
    item = make_item(live_app, tenant, title="სკვერები", title_en="Squares",
                     body=f"<p>ჰკითხეთ მეზობლებს.</p><p>[poll:{poll}]</p>")
    context = _context(chromium, live_url, js=js, lang=lang)
    page = context.new_page()
    page.goto(f"{live_url}/{slug}/news/{item}", wait_until="domcontentloaded")
    found = page.locator(f"article section.poll#poll-{poll}, main section.poll#poll-{poll}")
    assert found.count() == 1 and "[poll:" not in page.inner_text("main")
    assert _axe_at(chromium, live_url, page.url, lang) == []
    if js:
        page.wait_for_function("() => window.htmx !== undefined")
    found.locator("input[type=radio]").first.check()
    found.locator("button[type=submit]").click()
    page.wait_for_selector("section.poll .poll-results")
    if js:
        assert page.url.endswith(f"/{slug}/news/{item}")  # answered in place
        assert axe_problems(page) == []
    else:
        assert page.url.endswith(f"/{slug}/surveys/{poll}")
        assert _axe_at(chromium, live_url, page.url, lang) == []
    context.close()
