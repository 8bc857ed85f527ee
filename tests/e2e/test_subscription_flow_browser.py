"""Subscriptions' whole round in headless Chromium, on one live portal whose real job worker
delivers to the local SMTP server and SMS provider (tests/e2e/flow_site.py): citizens subscribe
by e-mail (Georgian with JavaScript, English without) and by SMS, confirm from the mail's link
and the SMS code; an editor composes a broadcast, previews its recipients and sends it; each
subscriber receives exactly one message; one leaves with the mail client's one-click POST
(RFC 8058), another from the List-Unsubscribe page in the browser, and the SMS subscriber
replies STOP, delivered by the provider to the signed webhook, and gets one confirmation.
axe-core finds nothing on any page (tests/e2e/flow_people.py). SQLite by default, PostgreSQL
with ``TEST_DATABASE_URL``."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site
from tests.helpers import shared_host_path

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

PHONE = "555 44 33 22"
NUMBER = "995555443322"
SUBJECT = "წყალი ხვალ შეწყდება"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("subscriptions-flow")) as running:
        yield running


def subscribe_by_email(citizen: Citizen) -> None:
    """The subscribe form, the mail's link, the button on its page: confirmed."""
    page = citizen.page
    citizen.go(f"/{citizen.slug}/subscriptions/")
    page.fill("#email", citizen.email)
    page.check("input[value=emergency]")
    citizen.submit(page.locator("main form button[type=submit]"), "**/subscriptions/sent")
    [mail] = citizen.mail("Confirm your subscription")
    citizen.go(mail.link(r"/subscriptions/confirm/"))
    citizen.submit(page.get_by_role("button", name=citizen.t("Confirm my subscription")),
                   selector="main [role=status]")


def subscribe_by_sms(citizen: Citizen, site) -> None:
    """The SMS form, the code from the provider's SMS typed back: confirmed."""
    page = citizen.page
    citizen.go(f"/{citizen.slug}/subscriptions/sms")
    page.fill("#phone", PHONE)
    citizen.submit(page.locator("main form button[type=submit]"), selector="#code")
    code = re.search(r"\d{6}", site.wait_for_sms(NUMBER)).group(0)
    page.fill("#code", code)
    citizen.submit(page.locator("main form button[type=submit] >> nth=0"),
                   selector="main [role=status]")


def broadcast(editor: Staff) -> None:
    """Compose, preview (three recipients: two e-mails, one SMS), send."""
    page = editor.page
    editor.go(f"/{editor.slug}/admin/subscriptions/broadcasts/new")
    page.select_option("#topic", "emergency")
    page.fill("#subject", SUBJECT)
    page.fill("#text", "ხვალ 10-დან 14 საათამდე წყალი არ იქნება.")
    page.check("#by_sms")
    page.fill("#sms_text", "ხვალ 10-14 წყალი არ იქნება")
    editor.follow(page.locator("#broadcast-form button[type=submit]"),  # a GET: no change
                  "**/broadcasts/new?*preview=1*")
    expect(page.locator("main strong")).to_contain_text("3")
    editor.submit(page.locator("#broadcast-send button"), "**/admin/subscriptions/broadcasts*",
                  selector=".flash")
    expect(page.locator("main table")).to_contain_text(SUBJECT)


def raw_message(site, to: str, subject: str):
    with site.smtp.lock:
        found = [m for m in site.smtp.messages if m["To"] == to and m["Subject"] == subject]
    assert len(found) == 1, f"{len(found)} messages to {to}"  # exactly one each
    return found[0]


def sms_texts(site, number: str) -> list[str]:
    with site.sms.lock:
        return [m["content"] for m in site.sms.by_reference.values()
                if m["destination"] == number]


def wait_for(condition, what: str, site) -> None:
    deadline = time.monotonic() + 60  # a busy machine's worker
    while not condition():
        assert time.monotonic() < deadline, f"{what}\n{site.worker_tail()}"
        time.sleep(0.1)


def test_subscribe_confirm_receive_and_leave(site, chromium):
    nino = Citizen(site, chromium, "poti", "ka", True, "nino.flow@example.ge")
    anna = Citizen(site, chromium, "poti", "en", False, "anna.flow@example.com")
    texter = Citizen(site, chromium, "poti", "ka", True, "texter@example.ge")
    editor = Staff(site, chromium, "poti", "ka", True, ["editor"])
    try:
        subscribe_by_email(nino)
        subscribe_by_email(anna)
        subscribe_by_sms(texter, site)
        editor.sign_in()
        broadcast(editor)

        # Received: one message each, with the way out in it.
        site.wait_for_mail(nino.email, SUBJECT)
        site.wait_for_mail(anna.email, SUBJECT)
        wait_for(lambda: len(sms_texts(site, NUMBER)) == 2, "the broadcast's SMS", site)
        sms = sms_texts(site, NUMBER)[-1]
        assert sms.startswith("khval 10-14 tsqali ar ikneba\nhttp")
        assert "/subscriptions/manage/" in sms and sms.endswith("STOP 91100")
        for person in (nino, anna):
            message = raw_message(site, person.email, SUBJECT)
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # Nino's mail program leaves with one click (RFC 8058: a POST, no page, no sign-in).
        url = raw_message(site, nino.email, SUBJECT)["List-Unsubscribe"].strip().strip("<>")
        request = urllib.request.Request(site.url + shared_host_path(url),
                                         data=b"List-Unsubscribe=One-Click", method="POST")
        with urllib.request.urlopen(request, timeout=15) as answer:
            assert answer.status == 200

        # Anna, without JavaScript, opens the same kind of link and presses the button.
        url = raw_message(site, anna.email, SUBJECT)["List-Unsubscribe"].strip().strip("<>")
        anna.go(shared_host_path(url))
        anna.submit(anna.page.get_by_role("button", name=anna.t("Yes, unsubscribe me")))
        expect(anna.page.locator("h1")).to_have_text(anna.t("Unsubscribed"))

        # The SMS subscriber replies STOP; the provider delivers it to the signed webhook.
        webhook = f"{site.url}/poti/subscriptions/sms/inbound"
        assert site.sms.deliver_inbound(webhook, NUMBER, "სტოპ", message_id="flow-1") == 204
        assert site.sms.deliver_inbound(webhook, NUMBER, "სტოპ", message_id="flow-1") == 204
        assert site.sms.deliver_inbound(webhook, NUMBER, "STOP", secret="guess") == 403
        wait_for(lambda: len(sms_texts(site, NUMBER)) == 3, "the STOP confirmation", site)
        assert "SMS" in sms_texts(site, NUMBER)[-1]

        # Nobody is left; the counts page says so too.
        editor.go("/poti/admin/subscriptions/")
        assert _confirmed(site) == 0
        time.sleep(1)
        assert len(sms_texts(site, NUMBER)) == 3  # one confirmation, however often delivered
    finally:
        for person in (nino, anna, texter, editor):
            person.close()


def _confirmed(site) -> int:
    from sqlalchemy import func, select

    from portal.blueprints.subscriptions.models import Subscriber
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with site.app.app_context(), all_tenants():
        return db.session.scalar(select(func.count(Subscriber.id)).where(
            Subscriber.confirmed_at.is_not(None)))
