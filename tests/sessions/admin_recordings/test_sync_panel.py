"""The clerk's sync page: sources (never a credential), each source's last run and the history,
"sync now" on the job queue, and video addresses pasted for import (recorded, never the network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huey import SqliteHuey
from sqlalchemy import func, select

from portal.blueprints.sessions.models import Recording, SyncRun
from portal.blueprints.sessions.sources.recorded import recorded_clients
from portal.extensions import db
from portal.jobs import build_queue
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.sessions.admin_recordings.conftest import read

URL = "/poti/admin/sessions/sync"
TOKEN = "EAAGm0PX4ZCpsBAPageTokenOfPoti"


@pytest.fixture
def runs(app, poti, abasha):
    with app.app_context():
        with tenant_context(poti):
            db.session.add_all([
                SyncRun(source="youtube", started_at=datetime(2025, 3, 14, 9, tzinfo=UTC),
                        finished_at=datetime(2025, 3, 14, 9, 1, tzinfo=UTC), status="ok",
                        seen=51, created=50, updated=1, quota_units=3),
                SyncRun(source="youtube", started_at=datetime(2025, 3, 15, 9, tzinfo=UTC),
                        finished_at=datetime(2025, 3, 15, 9, 2, tzinfo=UTC), status="failed",
                        seen=50, created=50, quota_units=2, cursor="UUpl|CDIQAA",
                        error="HttpError 403 quotaExceeded"),
                SyncRun(source="facebook", started_at=datetime(2025, 3, 15, 9, tzinfo=UTC),
                        status="failed", error=f"OSError: GET /v21.0/1/videos?access_token={TOKEN}"),
            ])
            db.session.flush()
        with tenant_context(abasha):
            db.session.add(SyncRun(source="youtube", started_at=datetime(2025, 1, 1, tzinfo=UTC),
                                   status="failed", error="abasha-only-error"))
            db.session.flush()
        db.session.commit()


def _audits(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_sync_page_shows_sources_runs_and_never_a_credential(as_clerk, runs, monkeypatch):
    monkeypatch.setenv("FACEBOOK_PAGE_TOKEN_POTI", TOKEN)
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    html = as_clerk.get(URL).text
    assert "<code>poti.gov.ge</code>" in html  # the Facebook Page from tenant.toml
    assert "გვერდის წვდომის კოდი მითითებულია" in html and "API გასაღები არ არის" in html
    assert TOKEN not in html and "access_token=…" in html
    assert "HttpError 403 quotaExceeded" in html
    assert "შემდეგი სინქრონიზაცია გააგრძელებს" in html  # the failed run will resume
    assert "15 მარტი, 2025" in html  # Georgian dates, written one way
    assert "50 ნანახი, 50 ახალი, 0 განახლებული" in html
    assert "abasha-only-error" not in html


def test_sync_page_before_any_run(as_clerk, data):
    html = as_clerk.get(URL).text
    assert "სინქრონიზაცია ჯერ არ გაშვებულა" in html


@pytest.fixture
def queue(app, tmp_path):
    """A queue of its own, so the test sees exactly what was enqueued."""
    huey = SqliteHuey("archive-admin-test", filename=str(tmp_path / "jobs.sqlite3"), results=False)
    queue = build_queue(app, huey)
    original = app.extensions["jobs"]
    app.extensions["jobs"] = queue
    yield queue
    app.extensions["jobs"] = original


def test_sync_now_queues_the_job_for_this_municipality(app, as_clerk, clerk, poti, queue):
    token = csrf_token(as_clerk.get(URL).text)
    response = as_clerk.post(f"{URL}/run", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    [task] = queue.huey.pending()
    assert task.name == "sync_sessions" and task.args == (poti.id,)
    [entry] = _audits(app, "sync.queue")
    assert entry.actor_id == clerk.id and entry.after == {"task": task.id}
    assert "რიგში ჩადგა" in as_clerk.get(URL).text


def test_sync_now_when_the_queue_is_down_is_a_message_not_a_500(app, as_clerk, queue):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    queue.enqueue = broken
    response = as_clerk.post(f"{URL}/run", data={"csrf_token": csrf_token(as_clerk.get(URL).text)})
    assert response.status_code == 503 and 'role="alert"' in response.text
    assert _audits(app, "sync.queue") == []


def _import(client, url):
    token = csrf_token(client.get(URL).text)
    return client.post(f"{URL}/import", data={"csrf_token": token, "url": url})


def _count(app, poti):
    return read(app, poti, lambda: db.session.scalar(select(func.count(Recording.id))))


def test_import_a_youtube_video(app, as_clerk, clerk, data, poti):
    response = _import(as_clerk, "https://www.youtube.com/watch?v=Pt7Kd2sQx9A")
    assert response.status_code == 303
    rec = read(app, poti, lambda: db.session.scalar(
        select(Recording).where(Recording.external_id == "Pt7Kd2sQx9A")))
    assert response.headers["Location"].endswith(f"/poti/admin/sessions/recordings/{rec.id}")
    assert rec.source == "youtube" and rec.has_transcript  # Georgian captions (recorded)
    assert rec.session_id == data["poti"].session and not rec.is_match_confirmed
    [entry] = _audits(app, "recording.import")
    assert entry.actor_id == clerk.id and entry.target == f"recording:{rec.id}"
    assert entry.after["created"] is True and entry.after["external_id"] == "Pt7Kd2sQx9A"
    page = as_clerk.get(response.headers["Location"]).text
    assert "ფოთის მუნიციპალიტეტის საკრებულოს მე-14 სხდომა" in page and 'class="flash' in page
    again = _import(as_clerk, "https://www.youtube.com/watch?v=Pt7Kd2sQx9A")
    assert again.status_code == 303 and _count(app, poti) == 3  # two from the fixture, one new
    assert _audits(app, "recording.import")[-1].after["created"] is False


def test_import_a_facebook_video(app, as_clerk, poti):
    url = "https://www.facebook.com/abasha.sakrebulo/videos/1187234905563120/"
    assert _import(as_clerk, url).status_code == 303
    rec = read(app, poti, lambda: db.session.scalar(select(Recording)))
    assert (rec.source, rec.external_id, rec.has_transcript) == ("facebook", "1187234905563120", True)


@pytest.mark.parametrize(("url", "words"), [
    ("https://evil.example.org/watch?v=Pt7Kd2sQx9A", "მხოლოდ YouTube-ისა და Facebook-ის"),
    ("https://graph.facebook.com/v21.0/me", "მხოლოდ YouTube-ისა და Facebook-ის"),
    ("http://www.youtube.com/watch?v=Pt7Kd2sQx9A", "https://"),
    ("file:///etc/passwd", "https://"),
    ("www.youtube.com/watch?v=Pt7Kd2sQx9A", "https://"),
    ("https://127.0.0.1/watch?v=Pt7Kd2sQx9A", "მხოლოდ YouTube-ისა და Facebook-ის"),
    ("https://www.youtube.com/@PotiSakrebulo", "ერთი ვიდეოს"),
    ("https://www.facebook.com/abasha.sakrebulo", "ერთი ვიდეოს"),
    ("https://www.youtube.com/watch?v=NoSuchVideo1", "ვიდეო ვერ წავიკითხეთ"),
])
def test_refused_addresses_are_a_clear_422_and_nothing_changes(app, as_clerk, poti, url, words):
    response = _import(as_clerk, url)
    assert response.status_code == 422
    assert 'id="url-error"' in response.text and words in response.text
    assert _count(app, poti) == 0 and _audits(app, "recording.import") == []


def test_an_address_resolving_to_a_private_network_is_refused(app, as_clerk, poti, monkeypatch):
    import socket

    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setitem(app.config, "ARCHIVE_CLIENTS",
                        lambda tenant: recorded_clients(tenant).__class__(
                            ytdlp_factory=recorded_clients().ytdlp_factory, resolver=private))
    response = _import(as_clerk, "https://www.youtube.com/watch?v=Pt7Kd2sQx9A")
    assert response.status_code == 422 and "კერძო ან ლოკალურ ქსელს" in response.text
    assert _count(app, poti) == 0
