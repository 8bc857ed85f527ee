"""Machine transcripts: the job transcribes recordings without captions (claimed first, so
never twice at once), stores the lines marked "machine" with the cost and the time, records a
failure without writing anything, and the clerk sees it all in the sync panel and confirms
or corrects the lines; another municipality's clerk can do none of it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pytest
from google.auth.credentials import AnonymousCredentials
from sqlalchemy import select

from portal.blueprints.sessions import tasks
from portal.blueprints.sessions.models import Recording, Transcription, TranscriptSegment
from portal.blueprints.sessions.recordings import machine, recordings
from portal.blueprints.sessions.sources.recorded import recorded_clients
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.sessions.admin_recordings.conftest import read
from tests.sessions.speech.google_server import SpeechServer
from tests.sessions.speech.test_backends import standin

FB_VIDEO = "https://www.facebook.com/PotiSakrebulo/videos/1165009881230077/"


@pytest.fixture
def command_backend(app, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_BACKEND", "command")
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_COMMAND", standin("json"))
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_PRICE_PER_MINUTE", 0.5)


@pytest.fixture
def google_backend(app, monkeypatch):
    def use(server):
        monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_BACKEND", "google")
        monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_ENDPOINT", server.endpoint)
        monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_CREDENTIALS", AnonymousCredentials())
        monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_RETRY_SECONDS", 0)
        monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_PRICE_PER_MINUTE", 0.016)
    return use


def _uncaptioned(app, tenant, external_id="1165009881230077", **fields) -> int:
    with app.app_context(), tenant_context(tenant):
        rec = Recording(source="facebook", external_id=external_id,
                        url=f"https://www.facebook.com/x/videos/{external_id}/",
                        title=f"ცოცხალი ეთერი {tenant.slug}", live_status="was_live",
                        published_at=datetime(2025, 4, 2, 9, tzinfo=UTC), **fields)
        db.session.add(rec)
        db.session.commit()
        return rec.id


def _run_job(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return tasks.transcribe_recordings(tenant.id)


def _lines(app, tenant, rec_id):
    return read(app, tenant, lambda: [(s.start_seconds, s.text, s.origin) for s in db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.recording_id == rec_id)
        .order_by(TranscriptSegment.start_seconds))])


def _run(app, tenant, rec_id):
    return read(app, tenant, lambda: db.session.scalar(
        select(Transcription).where(Transcription.recording_id == rec_id)))


def test_nothing_happens_while_speech_to_text_is_off(app, data, poti):
    rec_id = _uncaptioned(app, poti)
    assert _run_job(app, poti) == "speech-to-text is off"
    assert _lines(app, poti, rec_id) == [] and _run(app, poti, rec_id) is None


def test_the_job_transcribes_a_recording_without_captions(app, data, poti, abasha,
                                                          command_backend, as_clerk):
    rec_id = _uncaptioned(app, poti)
    other = _uncaptioned(app, abasha)
    assert _run_job(app, poti) == f"{rec_id}:done"
    lines = _lines(app, poti, rec_id)
    assert len(lines) == 12 and lines[0] == (0, "მალთაყვის სანაპიროს 1", "machine")
    assert lines[-1] == (110, "საკრებულოს სხდომა 12", "machine")
    run = _run(app, poti, rec_id)
    assert (run.status, run.backend, run.pieces, run.lines) == ("done", "command", 1, 12)
    assert run.audio_seconds == 120 and run.billed_seconds == 120 and run.cost == 1.0
    assert run.elapsed_seconds > 0 and run.finished_at is not None
    assert read(app, poti, lambda: db.session.get(Recording, rec_id).has_transcript)
    assert _lines(app, abasha, other) == []  # Abasha's recording waits for Abasha's job
    # Found by a word of the machine transcript, and the page says what it is.
    found = as_clerk.get("/poti/sessions/search?q=წყალმომარაგება").text
    assert "t=40" in found
    page = as_clerk.get(f"/poti/sessions/recordings/{rec_id}").text
    assert 'id="machine-transcript"' in page and "წყალმომარაგება 5" in page
    # Nothing is left to do: a second run transcribes nothing again.
    assert _run_job(app, poti) == "nothing to transcribe"


def test_google_transcribes_piece_by_piece_with_offsets_and_billing(app, data, poti,
                                                                    google_backend):
    rec_id = _uncaptioned(app, poti)
    with SpeechServer() as server:
        google_backend(server)
        assert _run_job(app, poti) == f"{rec_id}:done"
    assert len(server.requests) == 3  # 120 s in pieces of 55, 55 and 10
    lines = _lines(app, poti, rec_id)
    assert [start for start, _, _ in lines] == [0.4, 27.5, 55.4, 82.5, 110.4, 115.0]
    assert lines[2][1] == "ნაწილი 2 მალთაყვის სანაპირო"
    run = _run(app, poti, rec_id)
    assert (run.pieces, run.billed_seconds, run.cost) == (3, 120, round(120 / 60 * 0.016, 4))


@pytest.mark.parametrize(("code", "failure", "words"), [
    (403, "client", "HTTP 403"), (500, "server", "HTTP 500")])
def test_a_service_error_writes_nothing_and_the_panel_says_why(
        app, data, poti, google_backend, as_clerk, code, failure, words):
    rec_id = _uncaptioned(app, poti)
    with SpeechServer(SpeechServer.error(code, "Cloud Speech-to-Text API has not been used")
                      ) as server:
        google_backend(server)
        assert _run_job(app, poti) == f"{rec_id}:failed"
    run = _run(app, poti, rec_id)
    assert (run.status, run.failure, run.http_status) == ("failed", failure, code)
    assert "has not been used" in run.error and run.lines == 0
    assert _lines(app, poti, rec_id) == []
    assert not read(app, poti, lambda: db.session.get(Recording, rec_id).has_transcript)
    panel = as_clerk.get("/poti/admin/sessions/sync").text
    assert 'class="speech-failed"' in panel and words in panel
    # A refusal waits for the operator; a failure of the service is tried again later.
    assert read(app, poti, lambda: machine.candidates()) == []
    with app.app_context(), tenant_context(poti):
        stored = db.session.get(Transcription, run.id)
        stored.finished_at = datetime.now(UTC) - timedelta(hours=2)
        db.session.commit()
        assert machine.candidates() == ([rec_id] if failure == "server" else [])


def test_a_recording_claimed_by_another_worker_is_left_alone(app, data, poti, command_backend):
    rec_id = _uncaptioned(app, poti)
    with app.app_context(), tenant_context(poti):
        assert machine.claim(rec_id, "command") is not None
        db.session.commit()
        assert machine.claim(rec_id, "command") is None  # a second worker
        assert machine.candidates() == []
        fetched = []
        clients = recorded_clients()
        clients.audio_fetch = lambda url, workdir: fetched.append(url)
        assert machine.transcribe_recording(rec_id, machine.transcriber(), clients) == "claimed"
        assert fetched == []
        # A claim whose worker died (older than the lease) is taken again.
        run = db.session.scalar(select(Transcription).where(Transcription.recording_id == rec_id))
        run.started_at = datetime.now(UTC) - machine.LEASE - timedelta(minutes=1)
        db.session.commit()
        assert machine.candidates() == [rec_id]
        assert machine.claim(rec_id, "command") == run.id
        db.session.commit()
        assert machine.claim(rec_id, "command") is None


def test_captions_that_arrive_during_the_work_are_kept(app, data, poti, command_backend):
    rec_id = _uncaptioned(app, poti)
    with app.app_context(), tenant_context(poti):
        clients = recorded_clients()

        def audio_fetch(url, workdir):
            rec = db.session.get(Recording, rec_id)
            recordings.replace_transcript(rec, [Cue(1, 2, "ნამდვილი სუბტიტრი")], origin="captions")
            db.session.commit()
            from tests.sessions.speech.google_server import silence
            return silence(f"{workdir}/a.wav", 12)

        clients.audio_fetch = audio_fetch
        assert machine.transcribe_recording(rec_id, machine.transcriber(), clients) == "skipped"
    assert _lines(app, poti, rec_id) == [(1, "ნამდვილი სუბტიტრი", "captions")]


def test_a_failing_program_is_recorded(app, data, poti, command_backend, monkeypatch, as_clerk):
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_COMMAND", f"{sys.executable} -c 'exit(2)'")
    rec_id = _uncaptioned(app, poti)
    assert _run_job(app, poti) == f"{rec_id}:failed"
    run = _run(app, poti, rec_id)
    assert (run.failure, _lines(app, poti, rec_id)) == ("command", [])
    assert 'class="speech-failed"' in as_clerk.get("/poti/admin/sessions/sync").text


def test_the_sync_panel_shows_cost_and_time(app, data, poti, abasha, command_backend, as_clerk):
    rec_id = _uncaptioned(app, poti)
    _run_job(app, poti)
    panel = as_clerk.get("/poti/admin/sessions/sync").text
    assert 'id="machine-transcripts"' in panel and 'class="speech-done"' in panel
    assert "ცოცხალი ეთერი poti" in panel and 'id="speech-totals"' in panel
    assert "2:00" in panel  # two minutes of audio billed
    assert "1.00" in panel or "1,00" in panel  # at 0.5 a minute
    assert f"/poti/admin/sessions/recordings/{rec_id}" in panel
    # Abasha's clerk sees only Abasha's runs.
    _uncaptioned(app, abasha)
    _run_job(app, abasha)
    assert "ცოცხალი ეთერი abasha" not in panel


def test_sync_queues_transcription_only_when_configured(app, data, poti, monkeypatch):
    queued = []
    monkeypatch.setattr("portal.jobs.enqueue", lambda name, **kw: queued.append((name, kw)))
    _uncaptioned(app, poti)
    assert read(app, poti, lambda: tasks._queue_transcriptions(poti.id)) == ""
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_BACKEND", "command")
    monkeypatch.setitem(app.config, "ARCHIVE_SPEECH_COMMAND", standin("json"))
    assert "queued" in read(app, poti, lambda: tasks._queue_transcriptions(poti.id))
    assert queued == [("transcribe_recordings", {"tenant_id": poti.id})]


def test_the_clerk_corrects_and_confirms_a_machine_transcript(app, data, poti, command_backend,
                                                             as_clerk):
    rec_id = _uncaptioned(app, poti)
    _run_job(app, poti)
    page = as_clerk.get(f"/poti/admin/sessions/recordings/{rec_id}")
    assert 'id="confirm-transcript-form"' in page.text
    first = read(app, poti, lambda: db.session.scalars(select(TranscriptSegment.id).where(
        TranscriptSegment.recording_id == rec_id).order_by(TranscriptSegment.start_seconds)).first())
    edit = f"/poti/admin/sessions/recordings/{rec_id}/segments/{first}/edit"
    token = csrf_token(as_clerk.get(edit).text)
    assert as_clerk.post(edit, data={"csrf_token": token, "text": "მალთაყვის სანაპირო",
                                     "speaker": ""}).status_code == 303
    lines = _lines(app, poti, rec_id)
    assert lines[0] == (0, "მალთაყვის სანაპირო", "corrected") and lines[1][2] == "machine"
    assert 'id="machine-transcript"' in as_clerk.get(f"/poti/sessions/recordings/{rec_id}").text
    confirm = f"/poti/admin/sessions/recordings/{rec_id}/transcript/confirm"
    response = as_clerk.post(confirm, data={"csrf_token": token})
    assert response.status_code == 303
    origins = {origin for _, _, origin in _lines(app, poti, rec_id)}
    assert origins == {"corrected", "confirmed"}
    assert 'id="machine-transcript"' not in as_clerk.get(f"/poti/sessions/recordings/{rec_id}").text
    assert _run(app, poti, rec_id).confirmed_at is not None
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "transcript.confirm")).all()
        assert entry.target == f"recording:{rec_id}" and entry.before == {"machine_lines": 11}
    # Nothing left to confirm: said, not a 500.
    again = as_clerk.post(confirm, data={"csrf_token": token})
    assert again.status_code == 422 and 'role="alert"' in again.text
    assert len(read(app, poti, lambda: db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "transcript.confirm")).all())) == 1


def test_another_municipalitys_clerk_cannot_confirm_or_edit(app, data, poti, abasha,
                                                           command_backend, as_clerk):
    rec_id = _uncaptioned(app, abasha)
    _run_job(app, abasha)
    seg = read(app, abasha, lambda: db.session.scalars(select(TranscriptSegment.id).where(
        TranscriptSegment.recording_id == rec_id)).first())
    token = csrf_token(as_clerk.get(f"/poti/admin/sessions/recordings/{data['poti'].recording}").text)
    for url in (f"/poti/admin/sessions/recordings/{rec_id}/transcript/confirm",
                f"/poti/admin/sessions/recordings/{rec_id}/segments/{seg}/edit"):
        assert as_clerk.post(url, data={"csrf_token": token, "text": "x"}).status_code == 404
    assert as_clerk.get(f"/abasha/admin/sessions/recordings/{rec_id}").status_code in (302, 303,
                                                                                      403, 404)
    assert as_clerk.post(f"/abasha/admin/sessions/recordings/{rec_id}/transcript/confirm",
                         data={"csrf_token": token}).status_code in (302, 303, 403, 404)
    assert {o for _, _, o in _lines(app, abasha, rec_id)} == {"machine"}
