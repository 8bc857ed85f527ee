"""The match review list: what it shows, its query count, and confirming, choosing or refusing
a session — plain (PRG) and with htmx (the row is swapped) — with the public pages following."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import Body, Recording
from portal.blueprints.sessions.recordings import recordings, review
from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, count_queries, csrf_token
from tests.sessions.admin_recordings.conftest import read

URL = "/poti/admin/sessions/recordings"


def _recording(app, poti, rec_id):
    return read(app, poti, lambda: db.session.scalar(select(Recording).where(Recording.id == rec_id)))


def _audits(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()


def _post(client, rec_id, data, headers=None):
    token = csrf_token(client.get(URL).text)
    return client.post(f"{URL}/{rec_id}/match", data={"csrf_token": token, **data},
                       headers=headers or {})


def test_list_shows_what_waits_with_its_suggestion(as_clerk, data):
    html = as_clerk.get(URL).text
    poti = data["poti"]
    assert f'id="recording-{poti.recording}"' in html and f'id="recording-{poti.lone}"' in html
    assert "სხდომის ჩანაწერი" in html and "YouTube" in html and "Facebook" in html
    assert "85%" in html  # the suggestion's confidence
    assert f'href="/poti/sessions/{poti.session}"' in html  # the suggested session
    assert "14 მარ. 2025" in html  # dates in Georgian
    assert f'id="recording-{data["abasha"].recording}"' not in html  # Abasha's recordings
    assert "მარანი" not in html


def test_list_filters_pages_and_says_when_empty(app, as_clerk, data, poti):
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            for rec in db.session.scalars(select(Recording)):
                recordings.confirm_match(rec, None)
            db.session.commit()
    assert "ყველა ჩანაწერის სხდომა დადასტურებულია" in as_clerk.get(URL).text
    assert f'id="recording-{data["poti"].lone}"' in as_clerk.get(f"{URL}?show=all").text
    with app.app_context(), tenant_context(poti):
        db.session.add_all(Recording(source="youtube", external_id=f"p{i}", title=f"ვიდეო {i}",
                                     published_at=datetime(2024, 1, 1, tzinfo=UTC)
                                     + timedelta(days=i)) for i in range(review.PER_PAGE + 1))
        db.session.commit()
    first = as_clerk.get(URL).text
    assert first.count('class="review-item"') == review.PER_PAGE and 'rel="next"' in first
    second = as_clerk.get(f"{URL}?page=2").text
    assert second.count('class="review-item"') == 1 and "ვიდეო 0<" in second


def test_list_runs_a_constant_number_of_queries(app, as_clerk, data, poti):
    as_clerk.get(URL)  # warm up (tenant directory, templates)
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as few:
        assert as_clerk.get(URL).status_code == 200
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            body = db.session.scalar(select(Body).where(Body.id == data["poti"].body))
            for i in range(8):
                when = datetime(2022, 1, 10, tzinfo=UTC) + timedelta(days=40 * i)
                session = services.create_session(body, f"სხდომა {i}", when)
                db.session.add(Recording(source="facebook", external_id=f"q{i}", title=f"ჩანაწერი {i}",
                                         published_at=when, session_id=session.id,
                                         match_confidence=0.6))
            db.session.commit()
    with count_queries(engine) as many:
        html = as_clerk.get(URL).text
    assert html.count('class="review-item"') == 10
    assert 4 <= len(many) == len(few), many


def test_confirm_the_suggestion_without_javascript(app, as_clerk, clerk, data, poti):
    rec_id, session_id = data["poti"].recording, data["poti"].session
    response = _post(as_clerk, rec_id, {"session_id": str(session_id), "page": "1"})
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    rec = _recording(app, poti, rec_id)
    assert rec.is_match_confirmed and rec.session_id == session_id and rec.match_confidence == 1.0
    [entry] = _audits(app, "recording.match")
    assert entry.actor_id == clerk.id and entry.target == f"recording:{rec_id}"
    assert entry.before == {"session_id": session_id, "confirmed": False, "confidence": 0.85}
    assert entry.after == {"session_id": session_id, "confirmed": True}
    page = as_clerk.get(URL).text
    assert "დაკავშირებულია" in page  # the flash message
    assert f'id="recording-{rec_id}"' not in page  # reviewed: off the list


def test_confirm_with_htmx_swaps_the_row(app, as_clerk, data, poti):
    rec_id = data["poti"].recording
    response = _post(as_clerk, rec_id, {"session_id": str(data["poti"].session)}, HTMX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.text
    assert "<html" not in html and html.lstrip().startswith(f'<li id="recording-{rec_id}"')
    assert 'role="status"' in html and "დადასტურებულია" in html
    assert 'name="session_id" value=' not in html  # no "confirm the suggestion" any more


def test_choose_a_nearby_session_of_another_body(app, as_clerk, data, poti):
    """The select offers the sessions around the recording's date; one of them is chosen."""
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            committee = db.session.scalar(select(Body).where(Body.id == data["poti"].committee))
            nearby = services.create_session(committee, "ფინანსური კომისიის სხდომა",
                                             datetime(2025, 3, 12, 8, tzinfo=UTC)).id
            db.session.commit()
    html = as_clerk.get(URL).text
    assert f'<option value="{nearby}">ფინანსური კომისიის სხდომა' in html
    assert f'<option value="{data["poti"].old_session}"' not in html  # a year away
    response = _post(as_clerk, data["poti"].recording, {"session_id": str(nearby)}, HTMX)
    assert response.status_code == 200
    assert _recording(app, poti, data["poti"].recording).session_id == nearby


def test_choose_any_session_by_number_or_title(app, as_clerk, data, poti):
    lone, old = data["poti"].lone, data["poti"].old_session
    assert _post(as_clerk, lone, {"session_id": "", "other": f"#{old}"}).status_code == 303
    assert _recording(app, poti, lone).session_id == old
    response = _post(as_clerk, lone, {"session_id": "", "other": "კომისიის"})  # one title matches
    assert response.status_code == 303 and _recording(app, poti, lone).session_id == old


def test_several_or_no_sessions_found_is_a_422_that_offers_them(app, as_clerk, data, poti):
    lone = data["poti"].lone
    several = _post(as_clerk, lone, {"other": "სხდომა"}, HTMX)
    assert several.status_code == 422
    assert "რამდენიმე სხდომა" in several.text and 'aria-invalid="true"' in several.text
    assert f'<option value="{data["poti"].old_session}">' in several.text  # now offered
    assert f'<option value="{data["poti"].session}"' in several.text
    nothing = _post(as_clerk, lone, {"other": "არარსებული"})
    assert nothing.status_code == 422 and "<html" in nothing.text
    assert "არცერთი სხდომა" in nothing.text
    assert not _recording(app, poti, lone).is_match_confirmed
    assert _audits(app, "recording.match") == []


def test_another_municipalitys_session_cannot_be_chosen(app, as_clerk, data, poti):
    lone, foreign = data["poti"].lone, data["abasha"].session
    for payload in ({"session_id": str(foreign)}, {"other": str(foreign)}, {"session_id": ""},
                    {"session_id": "x"}):
        assert _post(as_clerk, lone, payload).status_code == 422
    rec = _recording(app, poti, lone)
    assert rec.session_id is None and not rec.is_match_confirmed


def test_no_session_and_the_public_pages_follow(app, as_clerk, client, data, poti):
    poti_ids = data["poti"]
    assert _post(as_clerk, poti_ids.recording, {"session_id": "none"}).status_code == 303
    rec = _recording(app, poti, poti_ids.recording)
    assert rec.session_id is None and rec.is_match_confirmed
    assert client.get(f"/poti/sessions/recordings/{poti_ids.recording}").status_code == 200
    # The lone recording is moved to the old session: its public page now leads there.
    assert _post(as_clerk, poti_ids.lone, {"session_id": str(poti_ids.old_session)}).status_code == 303
    moved = client.get(f"/poti/sessions/recordings/{poti_ids.lone}")
    assert moved.status_code == 302
    assert moved.headers["Location"].startswith(f"/poti/sessions/{poti_ids.old_session}?recording=")
    session_page = client.get(f"/poti/sessions/{poti_ids.old_session}").text
    assert "ტყის აღდგენის პროექტი" in session_page  # the recording's transcript
    hits = client.get("/poti/sessions/search?q=ტყის").text
    assert f"/poti/sessions/{poti_ids.old_session}?recording={poti_ids.lone}" in hits
