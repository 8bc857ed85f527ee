"""The clerk's sessions: list, create, edit, delete; public pages and search follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import Body, CouncilSession, Recording
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, count_queries
from tests.sessions.admin.helpers import english, post
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/sessions"


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id.desc())).first()


def _stored(app, tenant, title):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(CouncilSession).where(CouncilSession.title == title))


def _new_session(clerk, council, **extra):
    return post(clerk, f"{BASE}/new", {
        "body_id": str(council.body_id), "title": "ბიუჯეტის სხდომა", "kind": "regular",
        "status": "scheduled", "starts_at": "2025-06-02T10:00", "ends_at": "2025-06-02T12:30",
        "place": "საკრებულოს დარბაზი", **extra})


def test_index_lists_this_municipalitys_sessions_with_links(app, councils, clerk):
    c = councils["poti"]
    html = clerk.get(f"{BASE}/").text
    assert "სხდომა ფოთი" in html and "სხდომა აბაშა" not in html
    assert f'href="/poti/admin/sessions/{c.session_id}"' in html
    assert f'href="/poti/sessions/{c.session_id}"' in html  # the public page


def test_index_newest_first_filters_and_pages(app, councils, clerk, poti):
    c = councils["poti"]
    with app.app_context(), tenant_context(poti):
        body = db.session.get(Body, c.committee_id)
        for day in range(30):
            services.create_session(body, f"კომისია {day:02d}",
                                    datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(days=day))
        services.create_session(body, "მომავალი", datetime.now(UTC) + timedelta(days=3))
        db.session.commit()
    english(clerk)
    first = clerk.get(f"{BASE}/").text
    assert first.index("მომავალი") < first.index("სხდომა ფოთი") < first.index("კომისია 29")
    assert "Page 1 of 2" in first and "კომისია 00" not in first
    assert "კომისია 00" in clerk.get(f"{BASE}/?page=2").text
    only = clerk.get(f"{BASE}/?body={c.body_id}&status=held&year=2025").text
    assert "სხდომა ფოთი" in only and "კომისია" not in only.split("<tbody>")[1]
    assert "No session matches these filters." in clerk.get(f"{BASE}/?year=2024&body={c.body_id}").text
    fragment = clerk.get(f"{BASE}/?status=scheduled", headers=HTMX)
    assert "<html" not in fragment.text and 'id="session-results"' in fragment.text
    assert "მომავალი" in fragment.text and "HX-Request" in fragment.headers["Vary"]
    assert clerk.get(f"{BASE}/?body=abc&year=x&page=-3").status_code == 422


def test_index_runs_a_constant_number_of_queries(app, councils, clerk, poti):
    def count():
        with app.app_context():
            with count_queries(db.engine) as statements:
                assert clerk.get(f"{BASE}/").status_code == 200
        return len(statements)

    few = count()
    with app.app_context(), tenant_context(poti):
        body = db.session.get(Body, councils["poti"].body_id)
        for n in range(20):
            session = services.create_session(body, f"სხდომა {n}", datetime(2023, 1, 1 + n, tzinfo=UTC))
            services.add_agenda_item(session, "საკითხი")
        db.session.commit()
    assert count() == few


def test_empty_state(app, clerk):
    html = english(clerk).get(f"{BASE}/").text
    assert "No session yet." in html and f'href="{BASE}/new"' in html


def test_create_in_local_time_then_public_page_and_search(app, councils, clerk, client, poti):
    response = _new_session(clerk, councils["poti"])
    assert response.status_code == 303
    stored = _stored(app, poti, "ბიუჯეტის სხდომა")
    assert response.headers["Location"].endswith(f"{BASE}/{stored.id}")
    starts = stored.starts_at.replace(tzinfo=stored.starts_at.tzinfo or UTC)
    assert starts == datetime(2025, 6, 2, 6, tzinfo=UTC)  # 10:00 in Tbilisi (UTC+4)
    entry = _audit(app, "session.create")
    assert entry.target == f"session:{stored.id}" and entry.after["title"] == "ბიუჯეტის სხდომა"
    edit = clerk.get(f"{BASE}/{stored.id}").text
    assert 'value="2025-06-02T10:00"' in edit  # shown again in local time
    public = client.get(f"/poti/sessions/{stored.id}").text
    assert "ბიუჯეტის სხდომა" in public and "საკრებულოს დარბაზი" in public
    found = client.get("/poti/sessions/search?q=ბიუჯეტის+სხდომა").text
    assert f"/poti/sessions/{stored.id}" in found


def test_create_refuses_bad_input_with_422(app, councils, clerk, poti):
    english(clerk)
    cases = [({"title": ""}, "This field is required."),
             ({"ends_at": "2025-06-02T09:00"}, "The session cannot end before it starts."),
             ({"starts_at": "soon"}, "Not a valid datetime value."),
             ({"body_id": str(councils["abasha"].body_id)}, "Not a valid choice."),
             ({"status": "postponed"}, "Not a valid choice.")]
    for extra, message in cases:
        response = _new_session(clerk, councils["poti"], **extra)
        assert response.status_code == 422, extra
        assert message in response.text and 'aria-invalid="true"' in response.text
    assert _stored(app, poti, "ბიუჯეტის სხდომა") is None


def test_edit_status_shows_on_the_public_page_and_is_audited(app, councils, clerk, client):
    c = councils["poti"]
    response = post(clerk, f"{BASE}/{c.session_id}", {
        "body_id": str(c.body_id), "title": "სხდომა ფოთი", "kind": "extraordinary",
        "status": "cancelled", "starts_at": "2025-03-14T12:00", "place": ""})
    assert response.status_code == 303
    entry = _audit(app, "session.update")
    assert entry.before == {"kind": "regular", "status": "held"}
    assert entry.after == {"kind": "extraordinary", "status": "cancelled"}
    english(client)
    assert "status-cancelled" in client.get(f"/poti/sessions/{c.session_id}").text


def test_delete_asks_first_then_unmatches_recordings(app, councils, clerk, client, poti):
    c = councils["poti"]
    english(clerk)
    confirm = clerk.get(f"{BASE}/{c.session_id}/delete").text
    assert "become unmatched" in confirm or "becomes unmatched" in confirm
    response = post(clerk, f"{BASE}/{c.session_id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{BASE}/")
    assert "1 recording is now unmatched" in clerk.get(f"{BASE}/").text
    assert client.get(f"/poti/sessions/{c.session_id}").status_code == 404
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Recording, c.recording_id).session_id is None
    assert _audit(app, "session.delete").before["recordings_unmatched"] == 1


def test_poti_clerk_cannot_touch_abashas_sessions(app, councils, clerk, abasha):
    b = councils["abasha"]
    for url in (f"{BASE}/{b.session_id}", f"{BASE}/{b.session_id}/delete",
                f"{BASE}/{b.session_id}/attendance", f"{BASE}/agenda/{b.item_ids[0]}"):
        assert clerk.get(url).status_code == 404, url
    assert post(clerk, f"{BASE}/{b.session_id}/delete").status_code == 404
    assert post(clerk, f"{BASE}/agenda/{b.item_ids[0]}/delete").status_code == 404
    assert clerk.get(f"/abasha/admin/sessions/{b.session_id}").status_code == 403
    assert _stored(app, abasha, "სხდომა აბაშა") is not None


def test_an_editor_gets_403(app, councils, staff, poti):
    editor = app.test_client()
    signed_in(editor, staff(poti, ["editor"]))
    c = councils["poti"]
    for url in (f"{BASE}/", f"{BASE}/new", f"{BASE}/{c.session_id}", f"{BASE}/members/"):
        assert editor.get(url).status_code == 403
    assert post(editor, f"{BASE}/{c.session_id}/delete").status_code == 403
    assert "Sakrebulo archive" not in english(editor).get("/poti/admin/").text


def test_clerk_sees_the_nav_link_and_the_dashboard_panel(app, councils, clerk, poti):
    with app.app_context(), tenant_context(poti):
        body = db.session.get(Body, councils["poti"].body_id)
        services.create_session(body, "მალე", datetime.now(UTC) + timedelta(days=2))
        services.create_session(body, "გვიან", datetime.now(UTC) + timedelta(days=40))
        db.session.commit()
    html = english(clerk).get("/poti/admin/").text
    assert f'href="{BASE}/"' in html and "Sakrebulo archive" in html
    panel = html.split("Upcoming sessions (next 14 days)")[1]
    assert '<p class="count">1</p>' in panel and f"{BASE}/?status=scheduled" in panel
