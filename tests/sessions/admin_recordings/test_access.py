"""Who reaches the recordings admin: Poti's clerk never reads or changes Abasha's recordings or
transcript lines (404, nothing changes), an editor gets 403; and the clerk's dashboard panels."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import select

from portal.blueprints.sessions.models import Recording, SyncRun, TranscriptSegment
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.sessions.admin_recordings.conftest import read
from tests.staff_fixtures import signed_in

ADMIN = "/{slug}/admin/sessions"


def _abasha_state(app, abasha, ids):
    def state():
        rec = db.session.scalar(select(Recording).where(Recording.id == ids.recording))
        lines = db.session.scalars(select(TranscriptSegment.text).where(
            TranscriptSegment.recording_id == ids.recording)).all()
        return rec.session_id, rec.is_match_confirmed, rec.has_transcript, sorted(lines)

    return read(app, abasha, state)


def _attempts(ids, slug="poti"):
    base = ADMIN.format(slug=slug)
    rec, seg = ids.recording, ids.segments[0]
    vtt = (io.BytesIO(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n"), "x.vtt")
    return [
        ("GET", f"{base}/recordings/{rec}", None),
        ("GET", f"{base}/recordings/{rec}/segments/{seg}", None),
        ("GET", f"{base}/recordings/{rec}/segments/{seg}/edit", None),
        ("POST", f"{base}/recordings/{rec}/match", {"session_id": "none"}),
        ("POST", f"{base}/recordings/{rec}/match", {"other": str(ids.session)}),
        ("POST", f"{base}/recordings/{rec}/segments/{seg}/edit", {"text": "forged"}),
        ("POST", f"{base}/recordings/{rec}/transcript", {"file": vtt, "replace": "y", "language": "ka"}),
    ]


def _send(client, method, url, data, token, headers=None):
    if method == "GET":
        return client.get(url, headers=headers or {})
    return client.post(url, data={"csrf_token": token, **data}, headers=headers or {})


def test_poti_clerk_cannot_read_or_change_abashas_recordings(app, as_clerk, data, abasha):
    ids = data["abasha"]
    before = _abasha_state(app, abasha, ids)
    token = csrf_token(as_clerk.get("/poti/admin/sessions/recordings").text)
    for headers in ({}, HTMX):
        for method, url, payload in _attempts(ids):  # Abasha's ids under Poti's admin
            response = _send(as_clerk, method, url, payload, token, headers)
            assert response.status_code == 404, (method, url)
        for method, url, payload in _attempts(ids, slug="abasha"):  # Abasha's own admin
            assert _send(as_clerk, method, url, payload, token).status_code == 403, url
    assert _abasha_state(app, abasha, ids) == before
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(("recording.match", "transcript.correct",
                                   "transcript.upload")))).all() == []


def test_poti_clerk_never_sees_abashas_recordings_or_runs(app, as_clerk, data, abasha):
    with app.app_context(), tenant_context(abasha):
        db.session.add(SyncRun(source="youtube", started_at=datetime(2025, 1, 1, tzinfo=UTC),
                                status="failed", error="abasha-only-error"))
        db.session.flush()
        db.session.commit()
    lists = as_clerk.get("/poti/admin/sessions/recordings?show=all").text
    assert f'id="recording-{data["abasha"].recording}"' not in lists and "მარანი" not in lists
    assert "abasha-only-error" not in as_clerk.get("/poti/admin/sessions/sync").text
    dashboard = as_clerk.get("/poti/admin/").text
    assert "არქივის წარუმატებელი სინქრონიზაციები" in dashboard
    assert dashboard.split("არქივის წარუმატებელი სინქრონიზაციები")[1].split("</p>")[0].endswith(">0")


def test_an_editor_gets_403_everywhere(app, staff, poti, data):
    editor = staff(poti, ["editor"])
    client = app.test_client()
    signed_in(client, editor)
    token = csrf_token(client.get("/poti/accounts/sign-in").text)
    for method, url, payload in [
        *_attempts(data["poti"]),
        ("GET", "/poti/admin/sessions/recordings", None),
        ("GET", "/poti/admin/sessions/sync", None),
        ("POST", "/poti/admin/sessions/sync/run", {}),
        ("POST", "/poti/admin/sessions/sync/import", {"url": "https://www.youtube.com/watch?v=Pt7Kd2sQx9A"}),
    ]:
        assert _send(client, method, url, payload, token).status_code == 403, url
    dashboard = client.get("/poti/admin/").text
    assert "გადასახედი ჩანაწერები" not in dashboard


def test_clerk_dashboard_counts_recordings_to_review_and_failed_syncs(app, as_clerk, data, poti):
    html = as_clerk.get("/poti/admin/").text
    assert "გადასახედი ჩანაწერები" in html and 'href="/poti/admin/sessions/recordings"' in html
    review_card = html.split("გადასახედი ჩანაწერები")[1]
    assert review_card.split('<p class="count">')[1].startswith("2<")
    with app.app_context(), tenant_context(poti):
        db.session.add_all([
            SyncRun(source="youtube", started_at=datetime(2025, 1, 1, tzinfo=UTC), status="failed"),
            SyncRun(source="youtube", started_at=datetime(2025, 1, 2, tzinfo=UTC), status="ok"),
            SyncRun(source="facebook", started_at=datetime(2025, 1, 2, tzinfo=UTC), status="failed",
                    error="Graph API 190"),
        ])
        db.session.flush()
        db.session.commit()
    html = as_clerk.get("/poti/admin/").text
    failed_card = html.split("არქივის წარუმატებელი სინქრონიზაციები")[1]
    assert failed_card.split('<p class="count">')[1].startswith("1<")  # only Facebook's latest
    assert 'href="/poti/admin/sessions/sync"' in failed_card
