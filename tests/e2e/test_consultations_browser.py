"""Public consultations in headless Chromium, done by people through the browser only: "a
budget comment answered". A citizen reads the draft budget, comments on one of its sections,
gets the confirmation link by e-mail and confirms; a moderator publishes the comment and
answers it; the citizen gets the answer by e-mail in their language and reads it under the
comment on the consultation's page. Before that, the demo: Poti's open budget discussion and
its closed tourism strategy (answered comments and the summary), Abasha's budget.

Both municipalities (Poti in Georgian with JavaScript, Abasha in English without), on the live
portal of tests/e2e/flow_site.py whose job worker delivers the mail to a local SMTP server;
axe-core finds nothing on any page visited (tests/e2e/flow_people.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

SCREENSHOTS = "/work/wt/consultations-{name}.png"
BUDGET = {("poti", "ka"): "ფოთის მუნიციპალიტეტის 2027 წლის ბიუჯეტის პროექტი",
          ("poti", "en"): "Draft 2027 budget of Poti Municipality",
          ("abasha", "ka"): "აბაშის მუნიციპალიტეტის 2027 წლის ბიუჯეტის პროექტი",
          ("abasha", "en"): "Draft 2027 budget of Abasha Municipality"}
STRATEGY = {"ka": "ფოთის ტურიზმის განვითარების სტრატეგია 2027–2030",
            "en": "Poti tourism development strategy 2027–2030"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("consultations")) as running:
        from portal.blueprints.consultations.demo import load_demo_consultations
        from portal.extensions import db

        with running.app.app_context():
            load_demo_consultations()
            db.session.commit()
        yield running


def test_demo_open_and_closed_consultations(site, chromium):
    for slug, lang, js in (("poti", "ka", True), ("poti", "en", False), ("abasha", "en", True)):
        visitor = Citizen(site, chromium, slug, lang, js, f"demo-{slug}-{lang}@example.ge")
        page = visitor.page
        visitor.go(f"/{slug}/consultations/")
        expect(page.locator("#open-title")).to_have_text(visitor.t("Open for comments"))
        visitor.follow(page.get_by_role("link", name=BUDGET[slug, lang]), re.compile(r"/consultations/\d+$"))
        expect(page.locator("#comment-form")).to_have_count(1)
        expect(page.locator("main")).to_contain_text(visitor.t("Draft documents"))
        if slug == "poti" and js:
            page.screenshot(path=SCREENSHOTS.format(name="budget"), full_page=True, caret="initial")
        if slug == "poti":
            visitor.go(f"/{slug}/consultations/")
            visitor.follow(page.get_by_role("link", name=STRATEGY[lang]), re.compile(r"/consultations/\d+$"))
            expect(page.locator("#comment-form")).to_have_count(0)
            expect(page.locator("#outcome-title")).to_have_text(visitor.t("Summary of the consultation"))
            expect(page.locator(".consultation-answer")).to_have_count(3)
            expect(page.locator("main")).to_contain_text(
                "The Sakrebulo has approved the strategy." if lang == "en" else "საკრებულომ სტრატეგია დაამტკიცა.")
            if js:
                page.screenshot(path=SCREENSHOTS.format(name="strategy"), full_page=True, caret="initial")
        visitor.close()


FULL = [("poti", "ka", True), ("abasha", "en", False)]


@pytest.mark.parametrize(("slug", "lang", "js"), FULL,
                         ids=[f"{s}-{lang}-{'js' if js else 'nojs'}" for s, lang, js in FULL])
def test_a_budget_comment_answered(site, chromium, slug, lang, js):
    citizen = Citizen(site, chromium, slug, lang, js, f"commenter-{slug}@example.ge")
    page = citizen.page
    body = f"გთხოვთ, სოფლის გზებს მეტი თანხა გამოუყოთ ({slug})."
    answer = f"Thank you: 200,000 GEL more for village roads ({slug})."

    citizen.go(f"/{slug}/consultations/")
    citizen.follow(page.get_by_role("link", name=BUDGET[slug, lang]), re.compile(r"/consultations/\d+$"))
    consultation_url = page.url
    if js:  # an empty form: the errors in place (htmx, 422)
        citizen.submit(page.get_by_role("button", name=citizen.t("Send the comment")), selector="#comment-form .error")
    page.fill("#name", "ნინო ბერიძე")
    page.fill("#email", citizen.email)
    page.select_option("#section", index=2)
    page.fill("#body", body)
    citizen.submit(page.get_by_role("button", name=citizen.t("Send the comment")), "**/consultations/*/sent")
    expect(page.locator("h1")).to_have_text(citizen.t("Check your e-mail"))

    [mail] = citizen.mail("Confirm your comment")
    citizen.go(mail.link(r"/consultations/confirm/"))
    citizen.submit(page.get_by_role("button", name=citizen.t("Confirm my comment")), selector="[role=status]")
    citizen.go(consultation_url)
    expect(page.locator("main")).not_to_contain_text(body)  # waiting for a moderator

    moderator = Staff(site, chromium, slug, lang, js, ["moderator"])
    moderator.sign_in()
    expect(moderator.page.locator("main")).to_contain_text(moderator.t("Public consultations"))
    moderator.go(f"/{slug}/admin/consultations/comments?status=pending")
    moderator.follow(moderator.page.locator("main td a", has_text=body[:30]), re.compile(r"/comments/\d+$"))
    moderator.submit(moderator.page.get_by_role("button", name=moderator.t("Publish the comment")), selector=".flash")
    moderator.page.fill("#answer", answer)
    moderator.submit(moderator.page.get_by_role("button", name=moderator.t("Publish the answer")), selector=".flash")
    expect(moderator.page.locator(".flash")).to_contain_text(
        moderator.t("The answer is published and e-mailed to the commenter."))

    answered = site.wait_for_mail(citizen.email, count=2)[1]
    assert answered.language == lang
    assert answered.subject.startswith(citizen.t("An answer to your comment on “%(title)s”").split("%(")[0][:-1])
    assert answer in answered.text
    citizen.go(answered.link(r"/consultations/\d+"))
    comment = page.locator(".consultation-comment", has_text=body)
    expect(comment).to_contain_text(answer)
    expect(comment.locator(".consultation-answer h3")).to_have_text(citizen.t("The municipality's answer"))
    if js:
        page.screenshot(path=SCREENSHOTS.format(name=f"answered-{slug}"), full_page=True, caret="initial")
    citizen.close()
    moderator.close()
