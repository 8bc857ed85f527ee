"""Municipal services in headless Chromium, on one live portal whose real job worker delivers
the outbox to a local SMTP server and SMS provider (tests/e2e/flow_site.py), with the demo
catalogue of both municipalities: a citizen finds a service by searching, books a time,
receives the confirmation (by e-mail, or by SMS), opens the message's link, moves the
appointment; an operator signs in, finds it in the day's queue and marks it arrived, then
completed; the citizen's page says so. Both municipalities, Georgian and English, JavaScript
on and off; every page checked by axe in both languages (tests/e2e/flow_people.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

SHOT = "/work/wt/services-booking.png"
#: (slug, language, JavaScript, how the citizen is reached, what they search for)
CASES = [("poti", "ka", True, "email", "არქიტექტორთან"),
         ("abasha", "en", False, "sms", "architect"),
         ("poti", "en", False, "email", "social worker"),
         ("abasha", "ka", True, "sms", "სოციალური აგენტის")]
PHONES = {"poti": "555 10 20 30", "abasha": "555 40 50 60", "poti-en": "555 11 22 33",
          "abasha-ka": "555 44 55 66"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("services")) as running:
        from portal.blueprints.municipal_services.demo import load_demo_services
        from portal.extensions import db

        with running.app.app_context():
            load_demo_services()
            db.session.commit()
            db.session.remove()
        yield running


def _find_and_book(citizen: Citizen, search: str, channel: str, phone: str, name: str) -> str:
    """From the catalogue to the booked time; returns the chosen time's label."""
    page = citizen.page
    citizen.go(f"/{citizen.slug}/services/")
    page.fill("#q", search)
    if citizen.js:
        page.locator("#service-search button[type=submit]").click()
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        expect(page.locator("#service-results li.card")).to_have_count(1)
    else:
        with page.expect_navigation():
            page.locator("#service-search button[type=submit]").click()
    citizen.check()
    citizen.follow(page.locator("#service-results li.card h2 a").first, re.compile(r"/services/\d+$"))
    citizen.follow(page.get_by_role("link", name=citizen.t("Book an appointment")),
                   re.compile(r"/services/\d+/book"))
    # empty: the messages, in place
    citizen.submit(page.locator("#book-form button[type=submit]"), selector="#book-form .error")
    expect(page.locator("#book-form")).to_contain_text(citizen.t("Choose a time."))
    citizen.go(page.url)  # afresh, without the messages
    choice = page.locator("#book-form input[name=slot]:not([disabled])").first
    label = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text().split()[0]
    choice.check()
    page.fill("#full_name", name)
    if channel == "email":
        page.fill("#email", citizen.email)
    else:
        page.fill("#phone", phone)
    if citizen.slug == "poti" and citizen.lang == "ka":
        page.screenshot(path=SHOT, full_page=True, caret="initial")
    citizen.submit(page.locator("#book-form button[type=submit]"), "**/services/sent")
    expect(page.locator("strong.code")).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    return label


def _link_from_sms(citizen: Citizen, phone: str) -> str:
    text = citizen.site.wait_for_sms("995" + re.sub(r"\D", "", phone))
    url = re.search(r"https?://\S+/services/requests/\S+", text).group(0)
    from tests.helpers import shared_host_path

    return shared_host_path(url)


@pytest.mark.parametrize(("slug", "lang", "js", "channel", "search"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{'js' if c[2] else 'nojs'}-{c[3]}" for c in CASES])
def test_book_move_and_complete(site, chromium, slug, lang, js, channel, search):
    email = f"citizen-{slug}-{lang}@example.ge"
    phone = PHONES[slug if (slug, lang) in (("poti", "ka"), ("abasha", "en")) else f"{slug}-{lang}"]
    name = f"ნინო ბერიძე {lang}{'-js' if js else ''}"
    citizen = Citizen(site, chromium, slug, lang, js, email)
    _find_and_book(citizen, search, channel, phone, name)
    if channel == "email":
        [mail] = citizen.mail("Your appointment is booked")
        link = mail.link(r"/services/requests/")
    else:
        link = _link_from_sms(citizen, phone)
    citizen.go(link)
    page = citizen.page
    expect(page.locator("#request-status")).to_have_text(citizen.t("Booked"))
    before = page.locator("#request-time").inner_text()

    # move: the first free time that is not the booked one
    choices = page.locator("#move-form input[name=slot]:not([disabled])")
    booked_clock = before.rsplit(" ", 1)[-1]
    for n in range(choices.count()):
        label = page.locator(f"label[for='{choices.nth(n).get_attribute('id')}']").inner_text()
        if not label.startswith(booked_clock):
            choices.nth(n).check()
            break
    citizen.submit(page.locator("#move-form button[type=submit]"), selector=".flash")
    expect(page.locator(".flash")).to_contain_text(citizen.t("Your appointment is moved."))
    after = page.locator("#request-time").inner_text()
    assert after != before
    if channel == "email":
        citizen.mail("Your appointment is moved")

    operator = Staff(site, chromium, slug, lang, js, ["operator"])
    operator.sign_in()
    from datetime import date

    from portal.blueprints.municipal_services.models import ServiceRequest
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with site.app.app_context(), all_tenants():
        from sqlalchemy import select

        day: date = db.session.scalars(select(ServiceRequest.day).where(
            ServiceRequest.full_name == name, ServiceRequest.status == "booked")
            .order_by(ServiceRequest.id.desc())).first()
    operator.go(f"/{slug}/admin/services/?day={day.isoformat()}")
    operator.follow(operator.page.locator("#appointments-title ~ table a", has_text=name),
                    re.compile(r"/admin/services/requests/\d+$"))
    for step, label in (("attended", "Arrived"), ("completed", "Completed")):
        operator.page.select_option("#status", step)
        operator.submit(operator.page.locator("#step-form button[type=submit]"),
                        re.compile(r"/admin/services/requests/\d+$"), selector="#request-status")
        # the same address before and after: wait for the new page, not the old one's status
        expect(operator.page.locator("#request-status")).to_have_text(operator.t(label))
    expect(operator.page.locator("#request-status")).to_have_text(operator.t("Completed"))
    if slug == "poti" and lang == "ka":
        operator.shot("services-operator")

    citizen.go(link)
    expect(page.locator("#request-status")).to_have_text(citizen.t("Completed"))
    if channel == "email":
        citizen.mail("News of your request")
    for person in (citizen, operator):
        person.close()



#: (slug, language, JavaScript, channel, search): the other pairs of language and JavaScript.
CANCEL_CASES = [("poti", "en", True, "email", "social worker"),
                ("abasha", "ka", False, "sms", "არქიტექტორთან")]


@pytest.mark.parametrize(("slug", "lang", "js", "channel", "search"), CANCEL_CASES,
                         ids=[f"{c[0]}-{c[1]}-{'js' if c[2] else 'nojs'}-{c[3]}" for c in CANCEL_CASES])
def test_book_then_cancel_by_the_link(site, chromium, slug, lang, js, channel, search):
    """The message's link cancels the appointment: the page says so, the place is free
    again, and there is nothing left to cancel or move."""
    from sqlalchemy import select

    from portal.blueprints.municipal_services.models import ServiceRequest, Slot
    from portal.extensions import db
    from portal.tenancy import all_tenants

    email, phone = f"canceller-{slug}-{lang}@example.ge", f"555 7{len(slug)} 8{len(lang)} 90"
    name = f"გიორგი კაპანაძე {slug} {lang}"
    citizen = Citizen(site, chromium, slug, lang, js, email)
    _find_and_book(citizen, search, channel, phone, name)

    def slot() -> tuple[int, int]:
        """The booked slot and its places taken (others may share the slot)."""
        with site.app.app_context(), all_tenants():
            found = db.session.execute(select(Slot.id, Slot.taken).join(
                ServiceRequest, ServiceRequest.slot_id == Slot.id).where(
                ServiceRequest.full_name == name)).one()
            db.session.remove()
            return tuple(found)

    slot_id, taken = slot()
    if channel == "email":
        [mail] = citizen.mail("Your appointment is booked")
        link = mail.link(r"/services/requests/")
    else:
        link = _link_from_sms(citizen, phone)
    citizen.go(link)
    page = citizen.page
    expect(page.locator("#request-status")).to_have_text(citizen.t("Booked"))
    citizen.submit(page.get_by_role("button", name=citizen.t("Cancel my request")), selector=".flash")
    expect(page.locator(".flash")).to_contain_text(citizen.t("Your request is cancelled."))
    expect(page.locator("#request-status")).to_have_text(citizen.t("Cancelled"))
    expect(page.locator("#cancel-form")).to_have_count(0)
    expect(page.locator("#move-form")).to_have_count(0)
    with site.app.app_context(), all_tenants():
        request = db.session.scalars(select(ServiceRequest).where(ServiceRequest.full_name == name)).one()
        assert (request.status, request.slot_id) == ("cancelled", None)
        assert db.session.get(Slot, slot_id).taken == taken - 1  # the place is free again
        db.session.remove()
    citizen.close()
