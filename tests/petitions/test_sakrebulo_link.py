"""A petition at the Sakrebulo, linked to the council archive both ways: the clerk picks the
session of the agenda and the decision's moment (a transcript line or a time), refusals leave
everything as it was; the petition's page and API link to the session and the moment, and the
session's page lists the petition, in a constant number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from sqlalchemy import select

from portal.blueprints.petitions.models import Petition, PetitionEvent
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import get_directory, tenant_context
from portal.tenancy.settings import profile_settings
from tests.helpers import HTMX, count_queries, csrf_token
from tests.petitions.admin_factories import make_petition
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/petitions"
LINE_WORDS = "პეტიციის საფუძველზე ბულვარზე ახალი სანათები დამონტაჟდება"


@dataclass(frozen=True)
class Sitting:
    session: int
    recording: int
    lines: tuple[int, ...]


def _sitting(app, tenant, title: str, when: datetime, lines=(), length: int | None = None,
             ) -> Sitting:
    """A held session of ``tenant`` with a recording of ``length`` seconds and its lines."""
    from portal.blueprints.sessions.council import composition, services
    from portal.blueprints.sessions.models import Recording, TranscriptSegment
    from portal.blueprints.sessions.recordings import recordings
    from portal.blueprints.sessions.sources.transcripts import Cue

    with app.app_context(), tenant_context(tenant):
        body = composition.save_body(None, slug=f"body-{when:%Y%m%d%H}", name_ka="საკრებულო",
                                     name_en="Sakrebulo")
        session = services.create_session(body, title, when, status="held")
        recording = Recording(source="youtube", external_id=f"v-{tenant.slug}-{when:%Y%m%d%H}",
                              url="https://www.youtube.com/watch?v=x", title="ჩანაწერი",
                              published_at=when, session_id=session.id, duration_seconds=length)
        db.session.add(recording)
        db.session.flush()
        recordings.replace_transcript(recording, [Cue(start, start + 5, text, "ლევან ხუბუა")
                                                  for start, text in lines])
        ids = tuple(db.session.scalars(select(TranscriptSegment.id).where(
            TranscriptSegment.recording_id == recording.id)
            .order_by(TranscriptSegment.start_seconds)))
        db.session.commit()
        return Sitting(session.id, recording.id, ids)


@pytest.fixture
def archive(app, poti, abasha):
    return {
        "poti": _sitting(app, poti, "საკრებულოს მე-14 სხდომა", datetime(2025, 3, 14, 8, tzinfo=UTC),
                         [(60, "ვხსნით სხდომას"), (1313, LINE_WORDS)], length=3600),
        "poti_old": _sitting(app, poti, "საკრებულოს მე-13 სხდომა",
                             datetime(2025, 2, 12, 8, tzinfo=UTC), [(90, "სკოლამდელი განათლება")]),
        "abasha": _sitting(app, abasha, "აბაშის საკრებულოს სხდომა",
                           datetime(2025, 3, 25, 8, tzinfo=UTC), [(30, "ბიუჯეტის ანგარიში")]),
    }


@pytest.fixture
def clerk(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["clerk"], email="clerk@poti.example.ge"))
    client.set_cookie("lang", "en")
    return client


def _post(client, url, data):
    data = {**data, "csrf_token": csrf_token(client.get(f"{BASE}/voters").text)}
    return client.post(url, data=data)


def _petition(app, tenant, pid) -> Petition:
    with app.app_context(), tenant_context(tenant):
        petition = db.session.get(Petition, pid)
        db.session.expunge(petition)
        return petition


def _events(app, tenant, pid) -> list[tuple[str, str]]:
    with app.app_context(), tenant_context(tenant):
        return [(e.kind, e.note) for e in db.session.scalars(
            select(PetitionEvent).where(PetitionEvent.petition_id == pid).order_by(PetitionEvent.id))]


def _unchanged(app, tenant, pid, status="submitted") -> None:
    petition = _petition(app, tenant, pid)
    assert (petition.status, petition.session_id, petition.session_segment_id,
            petition.session_seconds, petition.decision_text) == (status, None, None, None, "")


def test_the_clerk_picks_the_session_then_the_line_of_the_decision(app, poti, archive, clerk):
    here = archive["poti"]
    pid = make_petition(app, poti, status="submitted", title="ბულვარის განათება")
    page = clerk.get(f"{BASE}/{pid}").text
    # A plain select of this municipality's sessions, the newest first; no Abasha session.
    assert page.index("საკრებულოს მე-14 სხდომა") < page.index("საკრებულოს მე-13 სხდომა")
    assert "აბაშის" not in page and f'<option value="{here.session}">' in page
    assert _post(clerk, f"{BASE}/{pid}/agenda", {"session": str(here.session)}).status_code == 303
    assert _petition(app, poti, pid).session_id == here.session
    # The decision form now offers the agenda session's lines (no JavaScript needed).
    page = clerk.get(f"{BASE}/{pid}").text
    assert f'<option selected value="{here.session}">' in page
    assert f'<option value="{here.lines[1]}">21:53 — ლევან ხუბუა: {LINE_WORDS}</option>' in page
    assert "The recording is 1:00:00 long." in page
    response = _post(clerk, f"{BASE}/{pid}/decision", {
        "decision": "საკრებულომ მხარი დაუჭირა", "session": str(here.session),
        "segment": str(here.lines[1])})
    assert response.status_code == 303
    petition = _petition(app, poti, pid)
    assert (petition.status, petition.session_id, petition.session_segment_id,
            petition.session_seconds, petition.decision_text) == (
        "decided", here.session, here.lines[1], 1313, "საკრებულომ მხარი დაუჭირა")
    assert _events(app, poti, pid) == [("on_agenda", "საკრებულოს მე-14 სხდომა, 14.03.2025"),
                                       ("decided", "საკრებულომ მხარი დაუჭირა")]
    with app.app_context():
        audited = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "petitions.status_changed",
            AuditEntry.target == f"petition:{pid}")).all()
    assert [e.after["status"] for e in audited] == ["on_agenda", "decided"]


def test_a_decision_at_a_time_of_the_recording_or_without_a_moment(app, poti, archive, clerk):
    here = archive["poti"]
    timed = make_petition(app, poti, status="submitted")
    assert _post(clerk, f"{BASE}/{timed}/decision", {
        "decision": "მიღებულია", "session": str(here.session), "time": "0:21:53"}).status_code == 303
    petition = _petition(app, poti, timed)
    assert (petition.session_id, petition.session_segment_id, petition.session_seconds) == (
        here.session, None, 1313)
    bare = make_petition(app, poti, status="submitted")
    assert _post(clerk, f"{BASE}/{bare}/decision", {"decision": "უარყოფილია"}).status_code == 303
    petition = _petition(app, poti, bare)
    assert (petition.status, petition.session_id, petition.decision_text) == (
        "decided", None, "უარყოფილია")


@pytest.mark.parametrize("form, field, message", [
    ({"decision": ""}, "decision", "decision."),
    ({"session": "{abasha}"}, "decision-session", "archive."),
    ({"segment": "{abasha_line}"}, "decision-segment", "Choose a line of the session"),
    ({"segment": "{old_line}"}, "decision-segment", "This line belongs to another session"),
    ({"time": "1:00:01"}, "decision-time", "The time must lie within the recording (1:00:00 long)."),
    ({"time": "ten past"}, "decision-time", "Write the time as h:mm:ss, m:ss or seconds."),
    ({"time": "0:10", "segment": "{line}"}, "decision-time", "not both"),
    ({"session": "", "time": "0:10"}, "decision-session", "Choose the session the moment belongs to."),
    ({"session": "x"}, "decision-session", "Invalid Choice: could not coerce."),
])
def test_refused_decisions_change_nothing(app, poti, archive, clerk, form, field, message):
    here = archive["poti"]
    values = {"abasha": archive["abasha"].session, "abasha_line": archive["abasha"].lines[0],
              "old_line": archive["poti_old"].lines[0], "line": here.lines[0]}
    pid = make_petition(app, poti, status="submitted")
    data = {"decision": "მიღებულია", "session": str(here.session), **form}
    response = _post(clerk, f"{BASE}/{pid}/decision",
                     {k: v.format(**values) for k, v in data.items()})
    assert response.status_code == 422
    error = response.text.split(f'<p class="error" id="{field}-error">', 1)[1].split("</p>")[0]
    assert message in error
    _unchanged(app, poti, pid)
    assert _events(app, poti, pid) == []


def test_another_municipalitys_session_is_refused_for_the_agenda(app, poti, archive, clerk):
    pid = make_petition(app, poti, status="submitted")
    for value in (str(archive["abasha"].session), "", "99999999"):
        response = _post(clerk, f"{BASE}/{pid}/agenda", {"session": value})
        assert response.status_code == 422
        assert '<p class="error" id="session-error">Choose a session of this municipality' in (
            response.text)
    _unchanged(app, poti, pid)
    assert _events(app, poti, pid) == []


def test_choosing_another_session_loads_its_lines(app, poti, archive, clerk):
    pid = make_petition(app, poti, status="submitted")
    old = archive["poti_old"]
    url = f"{BASE}/{pid}?session={old.session}"
    fragment = clerk.get(url, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="decision-moment">')
    assert f'<option value="{old.lines[0]}">1:30 — ლევან ხუბუა: სკოლამდელი განათლება' in fragment.text
    whole = clerk.get(url)  # without JavaScript the same URL is the page, that session chosen
    assert "<html" in whole.text and f'<option selected value="{old.session}">' in whole.text
    theirs = clerk.get(f"{BASE}/{pid}?session={archive['abasha'].session}", headers=HTMX)
    assert theirs.status_code == 200 and "ბიუჯეტის ანგარიში" not in theirs.text


def _decide(app, tenant, archive_sitting, title="ბულვარის განათება", line=1) -> int:
    from portal.blueprints.petitions import sakrebulo

    pid = make_petition(app, tenant, status="submitted", title=title)
    with app.app_context(), tenant_context(tenant):
        petition = db.session.get(Petition, pid)
        sakrebulo.put_on_agenda(petition, archive_sitting.session)
        sakrebulo.record_decision(petition, "საკრებულომ მხარი დაუჭირა",
                                  session_id=archive_sitting.session,
                                  segment_id=archive_sitting.lines[line])
        db.session.commit()
    return pid


def test_the_petition_page_links_the_session_and_the_moment(app, poti, archive, client):
    here = archive["poti"]
    pid = _decide(app, poti, here)
    client.set_cookie("lang", "en")
    html = client.get(f"/poti/petitions/{pid}").text
    assert "On the agenda of:" in html
    assert (f'<a href="/poti/sessions/{here.session}"><span lang="ka">საკრებულოს მე-14 სხდომა'
            '</span></a>') in html
    assert "საკრებულომ მხარი დაუჭირა" in html
    moment = f"/poti/sessions/{here.session}?recording={here.recording}&amp;t=1313#player"
    assert f'<a href="{moment}">Watch the discussion</a>' in html
    assert "from 21:53 in the recording" in html
    client.set_cookie("lang", "ka")
    html = client.get(f"/poti/petitions/{pid}").text
    assert "განხილვის ნახვა" in html and "შეტანილია სხდომის დღის წესრიგში:" in html
    # Collecting petitions show nothing of it.
    other = make_petition(app, poti, status="collecting", title="სხვა პეტიცია")
    assert "On the agenda of" not in client.get(f"/poti/petitions/{other}").text


def test_the_session_page_lists_its_petitions_in_constant_queries(app, poti, archive, client):
    here = archive["poti"]
    pid = _decide(app, poti, here)
    make_petition(app, poti, status="moderation", title="ჯერ არ გამოქვეყნებული", session_id=here.session)
    client.set_cookie("lang", "en")

    with app.app_context():
        engine = db.engine

    def page():
        with count_queries(engine) as statements:
            response = client.get(f"/poti/sessions/{here.session}")
        assert response.status_code == 200
        return response.text, len(statements)

    html, one = page()
    assert '<h2 id="back-links-petitions">Petitions discussed at this session</h2>' in html
    assert f'<a href="/poti/petitions/{pid}"><span lang="ka">ბულვარის განათება</span></a>' in html
    assert "ჯერ არ გამოქვეყნებული" not in html  # not public yet
    for n in range(4):
        _decide(app, poti, here, title=f"პეტიცია {n}")
    html, five = page()
    assert len(re.findall(r'href="/poti/petitions/\d+"', html)) == 5 and five == one
    # Abasha's session page lists none of Poti's petitions.
    assert "ბულვარის" not in client.get(f"/abasha/sessions/{archive['abasha'].session}").text


def test_switching_petitions_off_hides_the_back_links(app, poti, archive, client):
    here = archive["poti"]
    _decide(app, poti, here)
    with app.app_context():
        profile_settings.set_many({"features.off": ["petitions"]}, tenant_id=poti.id)
        db.session.commit()
    get_directory(app).invalidate()
    try:
        html = client.get(f"/poti/sessions/{here.session}").text
    finally:
        get_directory(app).invalidate()
    assert "back-links-petitions" not in html and "ბულვარის" not in html


def test_the_api_gives_the_session_and_moment_urls(app, poti, archive, client):
    here = archive["poti"]
    pid = _decide(app, poti, here)
    spec = client.get("/poti/petitions/api/openapi.json").get_json()
    one = client.get(f"/poti/petitions/api/petitions/{pid}").get_json()
    schema = spec["paths"]["/api/petitions/{petition_id}"]["get"]["responses"]["200"]
    root = {**schema["content"]["application/json"]["schema"], "components": spec["components"]}
    OAS31Validator(root, format_checker=oas31_format_checker).validate(one)
    assert one["decision_text"] == "საკრებულომ მხარი დაუჭირა"
    session = one["session"]
    assert session["title"] == "საკრებულოს მე-14 სხდომა"
    assert session["starts_at"] == "2025-03-14T08:00:00Z" and session["moment_seconds"] == 1313
    assert session["url"].startswith("http") and session["url"].endswith(
        f"/sessions/{here.session}")
    assert session["moment_url"].endswith(
        f"/sessions/{here.session}?recording={here.recording}&t=1313#player")
    bare = make_petition(app, poti, status="collecting", title="სხვა")
    other = client.get(f"/poti/petitions/api/petitions/{bare}").get_json()
    OAS31Validator(root, format_checker=oas31_format_checker).validate(other)
    assert other["session"] is None and other["decision_text"] == ""
