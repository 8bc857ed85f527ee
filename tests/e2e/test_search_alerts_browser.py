"""A saved search of the archive in headless Chromium, done by a citizen through the browser:
search the archive, "Tell me when this comes up", subscribe by e-mail and confirm from the link
the local SMTP server received; a new transcript arrives and the scheduled job runs on the real
worker; the message arrives with the moment's link, which opens the session at that second;
the message's one-click unsubscribe leaves. Georgian with JavaScript, English without; axe-core
finds nothing on any page, in either language (tests/e2e/flow_people.py). SQLite by default,
PostgreSQL with ``TEST_DATABASE_URL``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_problems
from tests.e2e.flow_people import Citizen, tr
from tests.e2e.flow_site import FlowSite, flow_site
from tests.helpers import shared_host_path

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("alerts")) as running:
        yield running


def _in_poti(site: FlowSite, make):
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with site.app.app_context():
        with tenant_context(get_directory(site.app).by_slug("poti")):
            value = make()
            db.session.commit()
            return value


def archive_session(site: FlowSite, word: str) -> int:
    """A held session whose agenda already names ``word`` (found, but not new)."""
    from portal.blueprints.sessions.council import services
    from portal.blueprints.sessions.models import Body

    def make():
        from portal.extensions import db

        body = Body(slug=f"sakrebulo-{len(word)}-{abs(hash(word)) % 10000}", kind="council",
                    name_ka="საკრებულო", name_en="Sakrebulo")
        db.session.add(body)
        db.session.flush()
        return services.create_session(
            body, "საკრებულოს სხდომა", datetime(2026, 11, 20, 8, tzinfo=UTC), status="held",
            agenda=[(f"{word} — წინა განხილვა", None)]).id

    return _in_poti(site, make)


def new_transcript(site: FlowSite, session_id: int, word: str) -> int:
    """The sync brings the session's recording with its transcript."""
    from portal.blueprints.sessions.models import Recording
    from portal.blueprints.sessions.recordings import recordings
    from portal.blueprints.sessions.sources.transcripts import Cue

    def make():
        from portal.extensions import db

        recording = Recording(source="youtube", external_id=f"alert-{session_id}",
                              url="https://www.youtube.com/watch?v=alert", title="ჩანაწერი",
                              session_id=session_id,
                              published_at=datetime(2026, 11, 20, 8, tzinfo=UTC))
        db.session.add(recording)
        db.session.flush()
        recordings.replace_transcript(recording, [
            Cue(60, 64, "ვხსნით სხდომას"),
            Cue(125, 131, f"{word}ს განვითარების გეგმას განვიხილავთ")])
        return recording.id

    return _in_poti(site, make)


@pytest.mark.parametrize(("lang", "js", "word"), [("ka", True, "ნავსადგური"),
                                                  ("en", False, "ტერმინალი")])
def test_save_a_search_hear_of_the_new_transcript_and_leave(site, chromium, lang, js, word):
    session_id = archive_session(site, word)
    email = f"alert-{lang}@example.ge"
    citizen = Citizen(site, chromium, "poti", lang, js, email)
    page = citizen.page

    citizen.go("/poti/sessions/search")
    page.fill("#q", word)
    if js:
        page.locator("#search-form button[type=submit]").click()
        page.locator("form.search-alert").wait_for()
        citizen._settle()
    else:
        with page.expect_navigation():
            page.locator("#search-form button[type=submit]").click()
    expect(page.locator("#results .result")).to_have_count(1)
    citizen.check()
    citizen.submit(page.get_by_role("button", name=citizen.t("Tell me when this comes up")),
                   re.compile(r"/poti/subscriptions/\?topic=sessions\.search"))
    chosen = page.locator("input[name=topics]:checked")
    expect(chosen).to_have_count(1)
    assert chosen.get_attribute("value").startswith("sessions.search:")
    page.fill("#email", email)
    citizen.submit(page.locator("main form button[type=submit]").first, "**/subscriptions/sent")

    [mail] = citizen.mail("Confirm your subscription")
    citizen.go(mail.link(r"/subscriptions/confirm/"))
    citizen.submit(page.locator("main form button").first, selector="main [role=status]")

    recording_id = new_transcript(site, session_id, word)
    site.run_job("send_search_alerts", "poti")
    subject = tr(site.app, lang, "“%(query)s” in the Sakrebulo archive") % {"query": word}
    [notice] = site.wait_for_mail(email, subject)
    assert notice.language == lang
    moment = notice.link(rf"/sessions/{session_id}\?recording={recording_id}&t=125$")
    assert f"/sessions/{session_id}?recording={recording_id}&t=125#player" in notice.text
    citizen.go(moment)
    expect(page.locator("h1")).to_contain_text("საკრებულოს სხდომა")
    site.run_job("send_search_alerts", "poti")  # again: nothing more is sent
    assert len([m for m in citizen.mails() if m.subject == subject]) == 1

    # The mail program's one-click unsubscribe (RFC 8058), from the message's own header.
    with site.smtp.lock:
        [received] = [m for m in site.smtp.messages
                      if str(m["To"]) == email and str(m["Subject"]) == subject]
    unsubscribe = shared_host_path(str(received["List-Unsubscribe"]).strip("<> "))
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    answer = page.request.post(site.url + unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert answer.ok
    manage = notice.link(r"/subscriptions/manage/")
    page.goto(manage)
    expect(page.locator("main")).to_contain_text(citizen.t(
        "This link does not lead to a subscription. It may have ended already."))
    # The gone link's page is a 404 (the console says so): axe alone.
    assert (axe_problems(page) if js else citizen._axe_without_js()) == []
    citizen.close()
