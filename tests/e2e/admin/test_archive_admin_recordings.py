"""In Chromium, as Poti's clerk: confirm a recording's session, correct a transcript line inline,
upload a WebVTT file, queue a sync and import a pasted video; axe-core finds nothing on any of
these pages, and the screenshots land in tests/e2e/screenshots/."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import screenshot

_counter = itertools.count(1)
BASE = "/poti/admin/sessions"
VTT = ("WEBVTT\n\n00:00:02.000 --> 00:00:06.000\n<v ნინო ბერიძე>სხდომას ვხსნით\n\n"
       "00:00:07.000 --> 00:00:12.000\nპირველი საკითხი ბიუჯეტის ცვლილებებია\n").encode()


@pytest.fixture
def archive(admin_site):
    """A Poti session, a recording suggested for it (with two lines) and one without a
    transcript; made through the services in the live site's database."""
    from portal.blueprints.sessions.council import services
    from portal.blueprints.sessions.models import Body, Recording, TranscriptSegment
    from portal.blueprints.sessions.recordings import recordings
    from portal.blueprints.sessions.sources.recorded import recorded_clients
    from portal.blueprints.sessions.sources.transcripts import Cue
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    admin_site.app.config["ARCHIVE_CLIENTS"] = recorded_clients  # pasted URLs stay offline
    n = next(_counter)
    app = admin_site.app
    with app.app_context(), tenant_context(get_directory(app).by_slug("poti")):
        body = Body(slug=f"sakrebulo-{n}", name_ka="საკრებულო", kind="council")
        db.session.add(body)
        db.session.flush()
        when = datetime(2025, 3, 14, 8, tzinfo=UTC)
        session = services.create_session(body, f"საკრებულოს სხდომა №{n}", when, status="held")
        matched = Recording(source="youtube", external_id=f"e2e-{n}", title=f"სხდომის ჩანაწერი {n}",
                            url="https://www.youtube.com/watch?v=e2e", published_at=when,
                            duration_seconds=5400, session_id=session.id, match_confidence=0.82)
        bare = Recording(source="facebook", external_id=f"e2e-bare-{n}", title=f"ვიდეო უსიტყვოდ {n}",
                         url="https://www.facebook.com/poti/videos/1/", published_at=when)
        db.session.add_all([matched, bare])
        db.session.flush()
        recordings.replace_transcript(matched, [
            Cue(10, 15, "ვხსნით საკრებულოს სხდომას", "ნინო ბერიძე"),
            Cue(190, 200, "წყალარინების სამუშაოები მალთაყვის უბანში დაიწყება", "ნინო ბერიძე")])
        lines = db.session.scalars(select(TranscriptSegment.id).where(
            TranscriptSegment.recording_id == matched.id).order_by(TranscriptSegment.start_seconds)).all()
        made = {"session": session.id, "recording": matched.id, "bare": bare.id, "lines": lines}
        db.session.commit()
    return made


def _recording(admin_site, rec_id):
    from portal.blueprints.sessions.models import Recording
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    app = admin_site.app
    with app.app_context(), tenant_context(get_directory(app).by_slug("poti")):
        rec = db.session.scalar(select(Recording).where(Recording.id == rec_id))
        db.session.expunge(rec)
        return rec


def _clean(page):
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def test_confirm_a_match(page, admin_site, archive):
    sign_in(page, admin_site.staff(["clerk"]))
    assert page.locator(".dashboard h2", has_text="გადასახედი ჩანაწერები").count() == 1
    _clean(page)
    page.click("text=ჩანაწერების გადახედვა")
    page.wait_for_url(f"**{BASE}/recordings")
    row = page.locator(f"#recording-{archive['recording']}")
    assert "82%" in row.inner_text()
    _clean(page)
    screenshot(page, "archive-admin-recordings")
    row.get_by_role("button", name="შემოთავაზებული სხდომის დადასტურება").click()
    page.locator(f"#recording-{archive['recording']} [role=status]").wait_for()
    assert "დაკავშირებულია" in page.locator(f"#recording-{archive['recording']}").inner_text()
    assert page.url.endswith(f"{BASE}/recordings")  # swapped in place, no navigation
    rec = _recording(admin_site, archive["recording"])
    assert rec.is_match_confirmed and rec.session_id == archive["session"]
    _clean(page)
    screenshot(page, "archive-admin-recordings-confirmed")


def test_choose_no_session_without_javascript(admin_browser, admin_site, archive):
    """The same review works with JavaScript off: a plain form, then Post/Redirect/Get."""


    context = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    page = context.new_page()
    clerk = admin_site.staff(["clerk"])
    sign_in(page, clerk, axe=False)  # axe needs JavaScript
    page.goto(f"{BASE}/recordings")
    row = page.locator(f"#recording-{archive['bare']}")
    row.locator("select[name=session_id]").select_option("none")
    row.get_by_role("button", name="სხდომის შენახვა").click()
    page.wait_for_url(f"**{BASE}/recordings")
    assert "საკრებულოს სხდომის გარეშე" in page.locator(".flash").inner_text()
    rec = _recording(admin_site, archive["bare"])
    assert rec.is_match_confirmed and rec.session_id is None
    context.close()


def test_correct_a_transcript_line_inline(page, admin_site, archive):
    sign_in(page, admin_site.staff(["clerk"]))
    page.goto(f"{BASE}/recordings/{archive['recording']}")
    _clean(page)
    line_id = archive["lines"][1]
    line = page.locator(f"#seg-{line_id}")
    line.get_by_role("link", name="შესწორება").click()
    textarea = page.locator(f"#seg-{line_id} textarea")
    textarea.wait_for()
    # htmx focuses the autofocus field once the swap settles, a moment after it appears.
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'text'")
    assert page.url.endswith(f"{BASE}/recordings/{archive['recording']}")  # no navigation
    _clean(page)
    screenshot(page, "archive-admin-transcript-editing")
    textarea.fill("კანალიზაციის სამუშაოები მალთაყვის უბანში დაიწყება")
    page.locator(f"#seg-{line_id}").get_by_role("button", name="სტრიქონის შენახვა").click()
    page.locator(f"#seg-{line_id} .saved").wait_for()
    assert "კანალიზაციის სამუშაოები" in page.locator(f"#seg-{line_id}").inner_text()
    # Back on "Correct" once the saved line settles.
    page.wait_for_function("() => document.activeElement && document.activeElement.className === 'edit'")
    _clean(page)
    screenshot(page, "archive-admin-transcript-corrected")
    page.goto(f"/poti/sessions/{archive['session']}")
    assert "კანალიზაციის სამუშაოები" in page.locator("main").inner_text()


def test_upload_a_webvtt_file(page, admin_site, archive):
    sign_in(page, admin_site.staff(["clerk"]))
    page.goto(f"{BASE}/recordings/{archive['bare']}")
    _clean(page)
    page.set_input_files("#file", files=[{"name": "bad.vtt", "mimeType": "text/vtt",
                                          "buffer": b"not subtitles at all"}])
    page.click("#upload-form button[type=submit]")
    page.locator("#file-error").wait_for()
    assert "WebVTT" in page.locator("#file-error").inner_text()
    _clean(page)
    page.set_input_files("#file", files=[{"name": "sitting.vtt", "mimeType": "text/vtt",
                                          "buffer": VTT}])
    page.click("#upload-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert "2 სტრიქონი" in page.locator(".flash").inner_text()
    assert "პირველი საკითხი" in page.locator(".admin-transcript").inner_text()
    assert page.locator("#replace").count() == 1  # a second upload must now be confirmed
    _clean(page)
    screenshot(page, "archive-admin-transcript-uploaded")


def test_sync_page(page, admin_site, archive):
    sign_in(page, admin_site.staff(["clerk"]))
    page.goto(f"{BASE}/sync")
    assert "poti.gov.ge" in page.locator("table").first.inner_text()
    _clean(page)
    screenshot(page, "archive-admin-sync")
    page.click("#sync-now-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert "რიგში ჩადგა" in page.locator(".flash").inner_text()
    page.fill("#url", "https://evil.example.org/watch?v=1")
    page.click("#import-form button[type=submit]")
    page.locator("#url-error").wait_for()
    assert "მხოლოდ YouTube-ისა და Facebook-ის" in page.locator("#url-error").inner_text()
    _clean(page)
    page.fill("#url", "https://www.youtube.com/watch?v=Pt7Kd2sQx9A")
    page.click("#import-form button[type=submit]")
    page.wait_for_url(f"**{BASE}/recordings/*")
    assert "ფოთის მუნიციპალიტეტის საკრებულოს მე-14 სხდომა" in page.locator("h1").inner_text()
    _clean(page)
    screenshot(page, "archive-admin-imported")


def test_machine_transcript_cost_in_the_panel_and_confirmed(page, admin_site, archive):
    """The speech-to-text job (the stand-in program as the local backend) transcribes the
    recording without captions; a second recording fails at Google (403 from the local
    server). The sync panel shows cost, time and the failure in words; the clerk confirms."""
    from google.auth.credentials import AnonymousCredentials

    from portal.blueprints.sessions.models import Recording
    from portal.blueprints.sessions.recordings import machine
    from portal.blueprints.sessions.sources.recorded import recorded_clients
    from portal.blueprints.sessions.sources.speech.command import CommandTranscriber
    from portal.blueprints.sessions.sources.speech.google import GoogleTranscriber
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context
    from tests.sessions.speech.google_server import SpeechServer, silence
    from tests.sessions.speech.test_backends import standin

    app = admin_site.app
    config = {"ARCHIVE_SPEECH_BACKEND": "command", "ARCHIVE_SPEECH_COMMAND": standin("json"),
              "ARCHIVE_SPEECH_PRICE_PER_MINUTE": 0.25}
    app.config.update(config)
    try:
        with app.app_context(), tenant_context(get_directory(app).by_slug("poti")):
            failing = Recording(source="facebook", external_id=f"e2e-fail-{archive['bare']}",
                                title="ვიდეო, რომელიც ვერ ამოიცნო",
                                url="https://www.facebook.com/poti/videos/1165009881230077/")
            db.session.add(failing)
            db.session.commit()
            failing_id = failing.id
            clients = recorded_clients()
            clients.audio_fetch = lambda url, workdir: silence(f"{workdir}/a.wav", 120)
            done = machine.transcribe_recording(archive["bare"], CommandTranscriber(
                standin("json")), clients)
            with SpeechServer(SpeechServer.error(403, "Billing is disabled for this project.")
                              ) as server:
                failed = machine.transcribe_recording(failing_id, GoogleTranscriber(
                    endpoint=server.endpoint, credentials=AnonymousCredentials(),
                    retry_seconds=0), recorded_clients())
        assert (done, failed) == ("done", "failed")
        sign_in(page, admin_site.staff(["clerk"]))
        page.goto(f"{BASE}/sync")
        panel = page.locator("#machine-transcripts")
        assert "ვიდეო უსიტყვოდ" in panel.inner_text() and "2:00" in panel.inner_text()
        assert "HTTP 403" in page.locator("#speech-runs .speech-failed").inner_text()
        _clean(page)
        panel.scroll_into_view_if_needed()
        screenshot(page, "archive-admin-sync-machine-transcripts")
        page.goto(f"{BASE}/recordings/{archive['bare']}")
        assert page.locator("#machine-transcript").is_visible()
        _clean(page)
        screenshot(page, "archive-admin-machine-transcript")
        page.click("#confirm-transcript-form button[type=submit]")
        page.locator(".flash").wait_for()
        assert "დადასტურდა" in page.locator(".flash").inner_text()
        assert page.locator("#machine-transcript").count() == 0
        _clean(page)
    finally:
        for key in config:
            app.config.pop(key, None)
