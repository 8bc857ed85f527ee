"""Citizen satisfaction in headless Chromium: a service is completed, the job sends the
invitation, the citizen opens the link from the e-mail the local SMTP server received, is
refused without a rating, rates it with a comment, and is told a second answer does not count;
staff (two-factor sign-in) read the comment on the dashboard and publish it; the public summary
shows it. Both municipalities, Georgian and English, JavaScript on and off; axe-core finds
nothing on any page visited (tests/e2e/flow_people.py). The dashboard and the summary, with the
demo's two years behind them, are saved as /work/wt/satisfaction-*.png when that folder exists.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_problems
from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

SHOTS = Path("/work/wt")
_numbers = itertools.count(900001)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from portal.blueprints.satisfaction.demo import load_demo_satisfaction
    from portal.extensions import db

    with flow_site(tmp_path_factory.mktemp("satisfaction")) as running:
        with running.app.app_context():
            load_demo_satisfaction()
            db.session.commit()
        yield running


def invite(site, slug: str, email: str, lang: str) -> None:
    """What municipal_services does when an application is completed."""
    from portal.blueprints.satisfaction.invitations import invite as record
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with site.app.app_context():
        with tenant_context(get_directory(site.app).by_slug(slug)):
            assert record("service", next(_numbers), "სოციალური სამსახური", email=email, locale=lang)
            db.session.commit()
    site.run_job("send_satisfaction_invitations", slug)


def save_shot(person, name: str) -> None:
    if SHOTS.is_dir():
        person.page.screenshot(path=str(SHOTS / f"satisfaction-{name}.png"), full_page=True,
                               caret="initial")


#: Every municipality in both languages and with JavaScript on and off; each language with
#: JavaScript on and off.
CASES = [("poti", "ka", True), ("abasha", "en", True), ("poti", "en", False), ("abasha", "ka", False)]


@pytest.mark.parametrize(("slug", "lang", "js"), CASES,
                         ids=[f"{s}-{lang}-{'js' if js else 'nojs'}" for s, lang, js in CASES])
def test_answer_the_invitation_then_staff_and_public_see_it(site, chromium, slug, lang, js):
    mode = "js" if js else "nojs"
    email = f"rater-{slug}-{lang}-{mode}@example.ge"
    comment = f"მოსამსახურე თავაზიანი იყო ({slug}, {lang}, {mode})."
    invite(site, slug, email, lang)

    citizen = Citizen(site, chromium, slug, lang, js, email)
    [mail] = citizen.mail("How did we do?")
    link = mail.link(r"/satisfaction/answer/")
    citizen.go(link)
    page = citizen.page
    expect(page.locator("h1")).to_have_text(citizen.t("How did we do?"))
    send = page.get_by_role("button", name=citizen.t("Send my answer"))
    citizen.submit(send, selector="#answer-form .error")  # no rating: 422, in place
    expect(page.locator("#rating-error")).to_have_text(citizen.t("Choose a rating from 1 to 5."))
    citizen.shot(f"satisfaction-answer-{slug}-{lang}-{mode}")
    page.get_by_label(citizen.t("4: good")).check()
    page.fill("#comment", comment)
    citizen.submit(page.get_by_role("button", name=citizen.t("Send my answer")),
                   selector="#answer [role=status]")
    expect(page.locator("#answer")).to_contain_text(citizen.t("Thank you: your answer is recorded."))
    citizen.go(link)  # the link again: the answer stands, no form
    expect(page.locator("#answer-form")).to_have_count(0)
    citizen.close()

    staff = Staff(site, chromium, slug, lang, js, ["mayors_office"])
    staff.sign_in()
    staff.go(f"/{slug}/admin/satisfaction/")
    row = staff.page.locator("#satisfaction-results tr", has_text=comment)
    expect(row).to_have_count(1)
    expect(staff.page.locator("#by-department")).to_contain_text("სოციალური სამსახური")
    assert staff.page.locator("svg.chart").count() >= 2
    if (slug, lang) in (("poti", "ka"), ("abasha", "en")):
        save_shot(staff, f"dashboard-{slug}-{lang}")
    staff.submit(row.get_by_role("button", name=staff.t("Publish")),
                 selector="#satisfaction-results")
    expect(staff.page.locator("#satisfaction-results tr", has_text=comment)).to_have_count(0)
    staff.close()

    visitor = Citizen(site, chromium, slug, lang, js, f"visitor-{slug}@example.ge")
    visitor.go(f"/{slug}/satisfaction/")
    expect(visitor.page.locator("h1")).to_have_text(visitor.t("Citizen satisfaction"))
    expect(visitor.page.locator("main")).to_contain_text(comment)
    assert visitor.page.locator("svg.chart").count() == 2
    assert "@example.ge" not in visitor.page.content()
    if (slug, lang) in (("poti", "ka"), ("abasha", "en")):
        save_shot(visitor, f"summary-{slug}-{lang}")
    visitor.close()


def test_a_broken_link_is_explained(site, chromium):
    for slug, lang in (("poti", "ka"), ("abasha", "en")):
        visitor = Citizen(site, chromium, slug, lang, True, f"broken-{slug}@example.ge")
        response = visitor.page.goto(f"/{slug}/satisfaction/answer/not-a-real-link")
        assert response.status == 404
        expect(visitor.page.locator("[role=alert]")).to_have_text(
            visitor.t("This link is not valid. Open the link in the message we sent you."))
        assert axe_problems(visitor.page) == []  # (the 404 itself is logged by the browser)
        visitor.close()
