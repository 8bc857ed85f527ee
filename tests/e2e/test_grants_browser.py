"""A small-grants competition from call to funded project, in headless Chromium, done by
people through the browser only: the grants office publishes a call; a citizen signs in with
the e-mailed link, saves a draft, sees the budget's total (htmx in place with JavaScript, the
"Recalculate" button without), is refused a total outside the limits, submits and gets the
receipt by e-mail; a committee member scores (the others' scores hidden until then) and
another declares a conflict of interest; the office scores, decides and announces; the
applicant reads the decision mail and reports on the project; the public page lists the
funded project with the computed total.

Both municipalities (Poti in Georgian with JavaScript, Abasha in English without), on the
live portal of tests/e2e/flow_site.py whose job worker delivers the mail to a local SMTP
server; axe-core finds nothing on any page visited (tests/e2e/flow_people.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

SCREENSHOT = "/work/wt/grants-funded.png"
CURRENCY = {"poti": "EUR", "abasha": "GEL"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("grants")) as running:
        yield running


def publish_call(office: Staff, title: str) -> int:
    page = office.page
    office.go(f"/{office.slug}/admin/grants/")
    office.follow(page.get_by_role("link", name=office.t("New competition")), "**/admin/grants/new")
    page.fill("#title_ka", title)
    page.fill("#title_en", f"{title} (en)")
    page.fill("#aims_ka", "ახალგაზრდული და გარემოსდაცვითი პროექტები.")
    page.fill("#currency", CURRENCY[office.slug])
    page.fill("#total_budget", "80000")
    page.fill("#min_amount", "2000")
    page.fill("#max_amount", "5000")
    today = date.today()
    page.fill("#call_opens_on", (today - timedelta(days=1)).isoformat())
    page.fill("#deadline", (datetime.now() + timedelta(days=14)).strftime("%Y-%m-%dT18:00"))
    page.fill("#evaluation_until", (today + timedelta(days=30)).isoformat())
    page.fill("#results_on", (today + timedelta(days=40)).isoformat())
    page.fill("#criteria", "60 | აქტუალობა | Relevance\n40 | ბიუჯეტი | Budget")
    office.submit(page.get_by_role("button", name=office.t("Save the new competition")),
                  re.compile(r"/admin/grants/\d+$"))
    expect(page.locator(".flash")).to_contain_text(office.t("The call is published."))
    return int(page.url.rsplit("/", 1)[1])


def apply_and_sign_in(applicant: Citizen, competition_id: int, title: str) -> None:
    """From the call's page to the e-mail sign-in (the link's mail), back at the call's
    "apply" page, and the draft started."""
    page = applicant.page
    applicant.go(f"/{applicant.slug}/grants/")
    applicant.follow(page.get_by_role("link", name=title), f"**/grants/{competition_id}")
    applicant.follow(page.get_by_role("link", name=applicant.t("Apply")),
                     re.compile(r"/accounts/link\?next="))
    page.fill("input[name=email]", applicant.email)
    applicant.submit(page.locator("#email-form button[type=submit]"),
                     selector=f"h1:text-is('{applicant.t('Check your e-mail')}')")
    [mail] = applicant.mail("Your sign-in link")
    applicant.go(mail.link(r"/accounts/link/"))
    applicant.submit(page.get_by_role("button", name=applicant.t("Sign in to the portal")),
                     f"**/grants/{competition_id}/apply")
    applicant.submit(page.get_by_role("button", name=applicant.t("Start my application")),
                     re.compile(r"/grants/applications/\d+$"))


def fill_application(applicant: Citizen, project: str) -> int:
    page = applicant.page
    application_id = int(page.url.rsplit("/", 1)[1])
    page.check("#applicant_kind-0")
    page.fill("#organisation", "ა(ა)იპ „მწვანე ეზო“")
    page.fill("#registration_number", "400123456")
    page.fill("#contact_name", "ნინო ბერიძე")
    page.fill("#email", applicant.email)
    page.fill("#title", project)
    page.fill("#summary", "ეზოში 40 ხეს დავრგავთ.")
    page.fill("#description", "მეზობლებთან ერთად ვრგავთ ხეებს და ვაწყობთ სარწყავ სისტემას.")
    page.fill("#target_groups", "ბავშვები, ხანდაზმულები")
    page.fill("#activities", "მარტი: დარგვა\nაპრილი: მორწყვა")
    page.fill("#item_0", "ნერგები")
    page.fill("#amount_0", "1200")
    page.fill("#item_1", "ხელსაწყოები")
    page.fill("#amount_1", "300")
    total = page.locator("#budget-total")
    if applicant.js:  # the total follows the typing, in place
        page.locator("#amount_1").dispatch_event("change")
        expect(total).to_contain_text("1,500" if applicant.lang == "en" else "1\u00a0500")
    else:
        applicant.submit(page.get_by_role("button", name=applicant.t("Recalculate the total")))
        expect(total).to_contain_text("1,500" if applicant.lang == "en" else "1\u00a0500")
    expect(total.locator(".error")).to_have_count(1)  # under the minimum of 2,000
    # save the draft, leave, come back
    applicant.submit(page.get_by_role("button", name=applicant.t("Save the draft")),
                     selector=".flash")
    applicant.go(f"/{applicant.slug}/accounts/me")
    applicant.follow(page.get_by_role("link", name=re.compile(re.escape(project))),
                     f"**/grants/applications/{application_id}")
    expect(page.locator("#amount_1")).to_have_value("300")
    # submitting a total under the limit is refused on the server
    applicant.submit(page.get_by_role("button", name=applicant.t("Submit the application")),
                     selector="#application-form .error")
    expect(page.locator("#application-form")).to_contain_text(str(CURRENCY[applicant.slug]))
    page.fill("#amount_1", "2300.50")
    page.set_input_files("#attachments", files=[{
        "name": "ბიუჯეტი.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    applicant.submit(page.get_by_role("button", name=applicant.t("Submit the application")),
                     "**/receipt")
    expect(page.locator("#receipt-amount")).to_contain_text(CURRENCY[applicant.slug])
    [receipt] = applicant.site.wait_for_mail(applicant.email, None, count=2)[1:]
    assert receipt.language == applicant.lang and f"/grants/applications/{application_id}" in receipt.text
    return application_id


def score(member: Staff, application_id: int, values: tuple[int, int]) -> None:
    page = member.page
    member.go(f"/{member.slug}/admin/grants/applications/{application_id}")
    expect(page.locator("#scores")).to_have_count(0)
    inputs = page.locator("#score-form input[type=number]")
    for i, value in enumerate(values):
        inputs.nth(i).fill(str(value))
    page.locator("#score-form textarea").first.fill("კარგად დასაბუთებული.")
    member.submit(page.get_by_role("button", name=member.t("Submit my scores")), selector=".flash")
    expect(page.locator("#scores")).to_have_count(1)


def decide_and_announce(office: Staff, competition_id: int, application_id: int) -> None:
    page = office.page
    office.go(f"/{office.slug}/admin/grants/applications/{application_id}")
    page.check("#decision-0")
    page.fill("#amount", "3500")
    office.submit(page.get_by_role("button", name=office.t("Save the decision")),
                  f"**/admin/grants/{competition_id}")
    if office.js:
        page.once("dialog", lambda dialog: dialog.accept())
    office.submit(page.get_by_role("button", name=office.t(
        "Announce the results and tell the applicants")), selector=".flash")


def report(applicant: Citizen, application_id: int) -> None:
    page = applicant.page
    decision = applicant.site.wait_for_mail(applicant.email, None, count=3)[2]
    assert decision.language == applicant.lang
    applicant.go(decision.link(rf"/grants/applications/{application_id}$"))
    page.check("#kind-1")
    page.fill("#text", "დავრგეთ 40 ხე; ეზოში სარწყავი სისტემა მუშაობს.")
    page.fill("#spent_item_0", "ნერგები")
    page.fill("#spent_amount_0", "2000")
    page.fill("#spent_item_1", "სარწყავი სისტემა")
    page.fill("#spent_amount_1", "1500")
    applicant.submit(page.get_by_role("button", name=applicant.t("Publish the report")),
                     selector=".flash")


def test_demo_funded_projects_and_open_calls(site, chromium):
    """Poti's 2025 competition (the demo): 23 projects for 80,000 EUR, computed; the open
    calls of both municipalities. Runs first, so the screenshot shows the demo alone."""
    from portal.blueprints.grants.demo import load_demo_grants
    from portal.extensions import db

    with site.app.app_context():
        load_demo_grants()
        db.session.commit()
    for slug, lang, js in (("poti", "ka", True), ("poti", "en", False), ("abasha", "en", True)):
        visitor = Citizen(site, chromium, slug, lang, js, f"demo-{slug}-{lang}@example.ge")
        visitor.go(f"/{slug}/grants/")
        expect(visitor.page.locator("main")).to_contain_text(visitor.t("Open for applications"))
        visitor.go(f"/{slug}/grants/funded")
        if slug == "poti":
            expect(visitor.page.locator(".funded-total")).to_contain_text(
                "23 projects for 80,000" if lang == "en" else "23 პროექტი, ჯამში 80\u00a0000")
            expect(visitor.page.locator("main tbody tr")).to_have_count(23)
            visitor.follow(visitor.page.get_by_role("link", name="ახალგაზრდული დებატების კლუბი"),
                           re.compile(r"/grants/projects/\d+$"))
            expect(visitor.page.locator("main")).to_contain_text(visitor.t("Final report"))
            if js:
                visitor.go(f"/{slug}/grants/funded")
                visitor.page.screenshot(path=SCREENSHOT, full_page=True, caret="initial")
        else:
            expect(visitor.page.locator(".funded-total")).to_have_count(0)
        visitor.close()


FULL = [("poti", "ka", True), ("abasha", "en", False)]


@pytest.mark.parametrize(("slug", "lang", "js"), FULL,
                         ids=[f"{s}-{lang}-{'js' if js else 'nojs'}" for s, lang, js in FULL])
def test_call_to_funded_project(site, chromium, slug, lang, js):
    office = Staff(site, chromium, slug, lang, js, ["grants"])
    member = Staff(site, chromium, slug, lang, js, ["grants_committee"])
    conflicted = Staff(site, chromium, slug, lang, js, ["grants_committee"])
    applicant = Citizen(site, chromium, slug, lang, js, f"applicant-{slug}@example.ge")
    office.sign_in()
    title = f"მცირე გრანტები ({slug})"
    competition_id = publish_call(office, title)

    apply_and_sign_in(applicant, competition_id, title if lang == "ka" else f"{title} (en)")
    project = f"ეზოს გამწვანება ({slug})"
    application_id = fill_application(applicant, project)

    member.sign_in()
    member.go(f"/{slug}/admin/grants/applications/{application_id}")
    expect(member.page.locator("main")).to_contain_text(
        member.t("The others' scores are shown once you have submitted your own."))
    score(member, application_id, (8, 7))
    conflicted.sign_in()
    conflicted.go(f"/{slug}/admin/grants/applications/{application_id}")
    conflicted.page.fill("#note", "განმცხადებელი ჩემი ნათესავია.")
    conflicted.submit(conflicted.page.get_by_role("button", name=conflicted.t(
        "Declare a conflict of interest")), selector=".flash")
    expect(conflicted.page.locator("#score-form")).to_have_count(0)
    expect(conflicted.page.locator("#scores")).to_have_count(0)
    score(office, application_id, (9, 8))
    decide_and_announce(office, competition_id, application_id)
    report(applicant, application_id)

    visitor = Citizen(site, chromium, slug, lang, js, f"visitor-{slug}@example.ge")
    visitor.go(f"/{slug}/grants/funded")
    expect(visitor.page.locator(".funded-total")).to_contain_text(
        "3,500" if lang == "en" else "3\u00a0500")
    visitor.follow(visitor.page.get_by_role("link", name=project),
                   f"**/grants/projects/{application_id}")
    expect(visitor.page.locator("main")).to_contain_text("სარწყავი სისტემა")
    for person in (office, member, conflicted, applicant, visitor):
        person.close()
