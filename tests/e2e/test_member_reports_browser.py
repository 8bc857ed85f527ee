"""Members' activity reports in headless Chromium on the demo content, Poti and Abasha,
Georgian and English, JavaScript on and off: a member's page links each year; the year's page
has the attendance table and the published report; the year's list has every member's rate.
The clerk (password and TOTP) writes a report and publishes it; the public page shows it.
axe finds nothing."""

from __future__ import annotations

import pytest

from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import WATCH_SCRIPT, Watch, axe_problems, click_and_load, keep_offline, screenshot
from tests.staff_fixtures import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

#: A demo member with a published 2025 report, and one without, per municipality.
REPORTED = {"poti": ("nino-beridze", "სანაპირო ზოლის კეთილმოწყობისა"),
            "abasha": ("maia-gogua", "სოფლის მხარდაჭერის პროგრამა")}
UNREPORTED = {"poti": "tamar-zhvania", "abasha": "davit-chikovani"}
WORDS = {"ka": {"year": "საქმიანობა 2025 წელს", "all": "ყველა წევრი 2025 წელს",
                "votes": "არქივი არ აღრიცხავს", "saved": "ანგარიში შეინახა.",
                "published": "ანგარიში გამოქვეყნდა."},
         "en": {"year": "Activity in 2025", "all": "All members in 2025",
                "votes": "The archive does not record how each member voted",
                "saved": "Report saved.", "published": "Report published."}}


def _page(chromium, live_url, *, js: bool, lang: str):
    context = chromium.new_context(java_script_enabled=js, base_url=live_url,
                                   viewport={"width": 1280, "height": 800})
    context.route("**/*", keep_offline)
    context.add_init_script(WATCH_SCRIPT)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_url}])
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    return page, watch


def _follow(page, link, url: str, *, js: bool) -> None:
    if js:
        link.click()
    else:
        click_and_load(page, link)
    page.wait_for_url(url)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize("slug", ["poti", "abasha"])
def test_member_page_to_the_year_s_report_and_list(chromium, live_url, slug, lang, js):
    member, words = REPORTED[slug]
    page, watch = _page(chromium, live_url, js=js, lang=lang)
    page.goto(f"/{slug}/sessions/members/{member}", wait_until="domcontentloaded")
    link = page.locator("section[aria-labelledby=years-title] a", has_text=WORDS[lang]["year"])
    _follow(page, link, f"**/{slug}/sessions/members/{member}/2025", js=js)
    figures = page.locator("table.attendance-figures")
    figures.wait_for()
    assert figures.locator("td[data-label]").count() == 6
    assert page.locator("#report .prose", has_text=words).count() == 1
    assert WORDS[lang]["votes"] in page.inner_text("main")
    if js:
        assert axe_problems(page) == []
        screenshot(page, f"member-year-report-{slug}-{lang}")
    _follow(page, page.locator("main a", has_text=WORDS[lang]["all"]),
            f"**/{slug}/sessions/reports/2025", js=js)
    table = page.locator("main table.table")
    table.wait_for()
    assert table.locator(f"a[href='/{slug}/sessions/members/{member}/2025']").count() == 1
    assert table.locator("tbody tr").count() >= 3
    if js:
        assert axe_problems(page) == []
        screenshot(page, f"member-reports-list-{slug}-{lang}")
    assert watch.problems(page) == []
    page.context.close()


def _member_id(live_app, slug: str, member_slug: str) -> int:
    from sqlalchemy import select

    from portal.blueprints.sessions.models import Member
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with live_app.app_context(), tenant_context(get_directory(live_app).by_slug(slug)):
        return db.session.scalar(select(Member.id).where(Member.slug == member_slug))


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("slug", ["poti", "abasha"])
def test_the_clerk_writes_and_publishes_a_report(chromium, live_app, live_url, slug, js):
    from portal.tenancy import get_directory

    tenant = get_directory(live_app).by_slug(slug)
    clerk = make_staff(live_app, tenant, ["clerk"],
                       email=f"clerk-reports-{slug}-{'js' if js else 'nojs'}@example.org")
    member = UNREPORTED[slug]
    member_id = _member_id(live_app, slug, member)
    year = 2025 if js else 2024  # each run writes a report of its own
    lang = "ka" if js else "en"
    page, watch = _page(chromium, live_url, js=js, lang=lang)
    sign_in(page, clerk, slug=slug, axe=js)
    page.goto(f"/{slug}/admin/sessions/reports/?year={year}")
    if js:
        assert axe_problems(page) == []
    _follow(page, page.locator(f"a[href='/{slug}/admin/sessions/members/{member_id}/reports/{year}']"),
            f"**/admin/sessions/members/{member_id}/reports/{year}", js=js)
    text = f"შეხვედრები ამომრჩევლებთან {year} წელს.\n\nსანიაღვრე სისტემის შეკეთება."
    page.fill("#text", text)
    if js:
        page.click("#report-form button[type=submit]")
        page.locator(".flash", has_text=WORDS[lang]["saved"]).wait_for()
    else:
        click_and_load(page, page.locator("#report-form button[type=submit]"))
        assert WORDS[lang]["saved"] in page.inner_text("main")
    if js:
        assert axe_problems(page) == []
        screenshot(page, f"member-report-clerk-{slug}")
    publish = page.locator("form[action$='/publish'] button[type=submit]")
    if js:
        publish.click()
        page.locator(".flash", has_text=WORDS[lang]["published"]).wait_for()
    else:
        click_and_load(page, publish)
        assert WORDS[lang]["published"] in page.inner_text("main")
    page.goto(f"/{slug}/sessions/members/{member}/{year}")
    assert page.locator("#report .prose", has_text="სანიაღვრე სისტემის შეკეთება").count() == 1
    if js:
        assert axe_problems(page) == []
    assert watch.problems(page) == []
    page.context.close()
