"""Surveys whose respondents confirm who they are, in headless Chromium, on one live portal
whose real job worker delivers the outbox to a local SMTP server and SMS provider
(tests/e2e/flow_site.py): the survey's page says what is kept; an empty or wrong address,
phone or code is refused in place; the e-mail's link or the SMS code opens the survey; the
answer is counted once; the same address or phone is refused from another browser. Both
municipalities, Georgian and English, JavaScript on and off, e-mail and SMS; every page checked
by axe in both languages (tests/e2e/flow_people.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen
from tests.e2e.flow_site import flow_site
from tests.surveys.factories import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

#: (slug, language, JavaScript, how the respondent confirms, phone): every municipality with
#: both languages and both JavaScript states, every language with both states, both channels
#: with both states.
CASES = [("poti", "ka", True, "email", ""),
         ("abasha", "en", True, "sms", "555 61 71 81"),
         ("poti", "en", False, "sms", "555 62 72 82"),
         ("abasha", "ka", False, "email", "")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("surveys-confirmed")) as running:
        yield running


def _survey(site, slug: str, access: str) -> int:
    from portal.tenancy import get_directory

    with site.app.app_context():
        tenant = get_directory(site.app).by_slug(slug)
    made = make_survey(site.app, tenant, access=access, keeps_contact=access == "sms",
                       title=f"ქუჩების განათება ({slug}, {access})",
                       title_en=f"Street lighting ({slug}, {access})",
                       questions=(("single", "საკმარისია ღამით განათება?", "დიახ | Yes\nარა | No"),))
    return made["survey"]


def _answer(citizen: Citizen) -> None:
    """On the survey's form: the one question answered, then the thanks."""
    page = citizen.page
    page.wait_for_selector("#survey-form")
    citizen.check()
    page.check("#survey-form input[type=radio][value=o1]")
    citizen.submit(page.locator("#survey-form button[value=next]"), "**/thanks")
    expect(page.locator("h1")).to_have_text(citizen.t("Thank you"))


@pytest.mark.parametrize(("slug", "lang", "js", "channel", "phone"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{'js' if c[2] else 'nojs'}-{c[3]}" for c in CASES])
def test_confirm_answer_once_and_be_refused_again(site, chromium, slug, lang, js, channel, phone):
    survey_id = _survey(site, slug, channel)
    email = f"respondent-{slug}-{lang}@example.ge"
    citizen = Citizen(site, chromium, slug, lang, js, email)
    page = citizen.page
    citizen.go(f"/{slug}/surveys/{survey_id}")
    privacy = page.locator(".survey-privacy")
    if channel == "email":
        expect(privacy).to_contain_text(citizen.t("Your answers are stored without your identity."))
        form, name, button = "#email-form", "#email", citizen.t("Send me the link")
    else:
        expect(privacy).to_contain_text(citizen.t(
            "Your answers are kept together with your confirmed e-mail address or phone."))
        form, name, button = "#phone-form", "#phone", citizen.t("Send me the code")
    # empty, then malformed: refused in place
    citizen.submit(page.get_by_role("button", name=button), selector=f"{form} .error")
    page.fill(name, "not an address" if channel == "email" else "12")
    citizen.submit(page.get_by_role("button", name=button), selector=f"{form} .error")
    page.fill(name, email if channel == "email" else phone)

    if channel == "email":
        citizen.submit(page.get_by_role("button", name=button),
                       selector=f"h1:text-is('{citizen.t('Check your e-mail')}')")
        [mail] = citizen.mail("Confirm your answer to a survey")
        citizen.go(mail.link(r"/surveys/\d+/email/"))
        expect(page.locator("h1")).to_have_text(citizen.t("Confirm your e-mail address"))
        expect(page.locator("main")).to_contain_text(email)
        with page.expect_navigation():  # a plain form (hx-boost off): a new page either way
            page.get_by_role("button", name=citizen.t("Confirm and answer")).click()
        page.wait_for_url("**/answer")
    else:
        citizen.submit(page.get_by_role("button", name=button), "**/sms/code")
        text = site.wait_for_sms("995" + re.sub(r"\D", "", phone))
        code = re.search(r"\d{6}", text).group(0)
        page.fill("#code", "000000" if code != "000000" else "111111")
        citizen.submit(page.locator("#code-form button[type=submit]"), selector="#code-form .error")
        page.fill("#code", code)
        citizen.submit(page.locator("#code-form button[type=submit]"), "**/answer")
    _answer(citizen)
    citizen.go(f"/{slug}/surveys/{survey_id}")
    expect(page.locator("main [role=status]")).to_contain_text(
        citizen.t("You have already answered this survey. Thank you!"))
    citizen.close()

    # the same address or phone from another browser: refused before anything is sent
    other = Citizen(site, chromium, slug, lang, js, email)
    other.go(f"/{slug}/surveys/{survey_id}")
    other.page.fill(name, email if channel == "email" else phone)
    other.submit(other.page.get_by_role("button", name=button), selector=f"{form} .error")
    expect(other.page.locator(form)).to_contain_text(other.t(
        "An answer from this address has already been counted." if channel == "email"
        else "An answer from this phone has already been counted."))
    if channel == "email":
        assert len(site.wait_for_mail(email, None)) == 1  # no second link went out
    other.close()

    from sqlalchemy import select

    from portal.blueprints.surveys.models import SurveyResponse
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with site.app.app_context(), all_tenants():
        [response] = db.session.scalars(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id)).all()
        # stored without identity unless the survey says otherwise (the SMS ones keep the phone)
        assert (response.contact is None) == (channel == "email")
        db.session.remove()
