"""The archive's public module for other features (``sessions/links.py``): the picker's
sessions, a session's transcript lines and recordings' lengths, the moment check with its
refusals, the URLs, and the session page's back-link registry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from portal.blueprints.sessions import links
from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import TranscriptSegment
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import get_directory, tenant_context
from portal.tenancy.settings import profile_settings


@pytest.fixture
def in_poti(app, poti):
    """A request of Poti's (URLs, the page's language) with its tenant context."""
    with app.test_request_context("/poti/"), tenant_context(poti):
        yield


def _segments(archive):
    return db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.recording_id == archive.recording.id)
        .order_by(TranscriptSegment.start_seconds)).all()


def test_the_picker_lists_this_municipalitys_sessions_newest_first(archives, in_poti):
    a = archives["poti"]
    upcoming = services.create_session(a.body, "მომავალი სხდომა",
                                       datetime.now(UTC) + timedelta(days=5))
    chosen = links.session_choices()
    assert [s.id for s in chosen] == [upcoming.id, a.session.id, a.old_session.id]
    assert chosen[1].title == "საკრებულოს სხდომა მალთაყვა" and chosen[1].body == "საკრებულო"
    assert "2025" in chosen[1].label and chosen[1].note == "საკრებულოს სხდომა მალთაყვა, 14.03.2025"
    assert archives["abasha"].session.id not in {s.id for s in chosen}
    # A short picker still holds the session already chosen.
    assert [s.id for s in links.session_choices(limit=1, include=a.old_session.id)] == [
        upcoming.id, a.old_session.id]
    assert links.session_choices(limit=1, include=archives["abasha"].session.id)[-1].id == upcoming.id


def test_transcript_lines_and_lengths_of_a_session(archives, in_poti):
    a = archives["poti"]
    lines = links.transcript_lines(a.session.id)
    assert [(ln.seconds, ln.speaker) for ln in lines] == [(10, "ნინო ბერიძე"), (190, "ნინო ბერიძე")]
    assert lines[1].text.startswith("წყალარინების") and lines[1].recording_id == a.recording.id
    assert lines[1].label.startswith("3:10 — ნინო ბერიძე: წყალარინების")
    assert links.transcript_lines(archives["abasha"].session.id) == []  # another's: nothing
    assert links.recording_lengths(a.session.id) == {a.recording.id: None}
    a.recording.duration_seconds = 3600
    db.session.flush()
    assert links.recording_lengths(a.session.id) == {a.recording.id: 3600}
    assert links.recording_lengths(a.old_session.id) == {}


def test_long_lines_are_shortened_for_the_picker(archives, in_poti):
    a = archives["poti"]
    db.session.add(TranscriptSegment(recording_id=a.recording.id, start_seconds=400,
                                     end_seconds=410, text="სიტყვა " * 40))
    db.session.flush()
    longest = links.transcript_lines(a.session.id)[-1]
    assert len(longest.text) == links.LINE_CHARS and longest.text.endswith("…")


def test_a_moment_is_a_line_of_the_session_or_a_time_within_its_recording(archives, in_poti):
    a, b = archives["poti"], archives["abasha"]
    first, second = _segments(a)
    assert links.check_moment(a.session.id) == links.Moment(a.session.id)
    assert links.check_moment(a.session.id, segment_id=second.id) == links.Moment(
        a.session.id, a.recording.id, 190, second.id)
    assert links.check_moment(a.session.id, seconds=5000) == links.Moment(
        a.session.id, a.recording.id, 5000)  # the length is not known: any time
    a.recording.duration_seconds = 3600
    db.session.flush()
    assert links.check_moment(a.session.id, seconds=3600).seconds == 3600

    def refused(session_id, **moment) -> tuple[str | None, str]:
        with pytest.raises(DomainError) as caught:
            links.check_moment(session_id, **moment)
        return caught.value.field, caught.value.message

    assert refused(a.session.id, seconds=3601) == (
        "time", "დრო ჩანაწერის ფარგლებში უნდა იყოს (ხანგრძლივობა 1:00:00).")  # Georgian first
    assert refused(b.session.id)[0] == "session"  # Abasha's session, from Poti
    assert refused(None)[0] == "session"
    with tenant_context(b.tenant):
        abashas = _segments(b)[0].id
    assert refused(a.session.id, segment_id=abashas)[0] == "segment"  # Abasha's line
    lone = db.session.scalars(select(TranscriptSegment).where(
        TranscriptSegment.recording_id == a.lone.id)).first()
    assert refused(a.session.id, segment_id=lone.id)[0] == "segment"  # a line of no session
    field, message = refused(a.old_session.id, segment_id=first.id)  # another session's line
    assert field == "segment" and "სხვა სხდომის" in message
    assert refused(a.session.id, segment_id=10**9)[0] == "segment"


def test_urls_of_a_session_and_of_a_moment(archives, in_poti):
    a = archives["poti"]
    second = _segments(a)[1]
    assert links.session_url(a.session.id) == f"/poti/sessions/{a.session.id}"
    moment = links.check_moment(a.session.id, segment_id=second.id)
    assert links.moment_url(moment) == (
        f"/poti/sessions/{a.session.id}?recording={a.recording.id}&t=190#player")
    absolute = links.moment_url(moment, external=True)
    assert absolute.startswith("http") and absolute.endswith(
        f"/sessions/{a.session.id}?recording={a.recording.id}&t=190#player")
    assert links.moment_url(links.Moment(a.session.id)) == f"/poti/sessions/{a.session.id}"
    # A session without a recording yet: the time alone (the page's first recording takes it).
    assert links.moment_url(links.check_moment(a.old_session.id, seconds=30)) == (
        f"/poti/sessions/{a.old_session.id}?t=30#player")


def test_a_stored_link_resolves_and_survives_a_replaced_transcript(app, archives, in_poti, poti):
    a = archives["poti"]
    second = _segments(a)[1]
    found = links.linked_session(a.session.id, segment_id=second.id, seconds=190)
    assert found.session.id == a.session.id and found.seconds == 190
    assert found.url == f"/poti/sessions/{a.session.id}" and "t=190" in found.moment_url
    db.session.execute(delete(TranscriptSegment).where(TranscriptSegment.id == second.id))
    kept = links.linked_session(a.session.id, segment_id=second.id, seconds=190)
    assert kept.moment_url == found.moment_url
    assert links.linked_session(archives["abasha"].session.id) is None
    assert links.linked_session(None) is None
    profile_settings.set_many({"features.off": ["sessions"]}, tenant_id=poti.id)
    db.session.flush()
    get_directory(app).invalidate()
    try:
        with tenant_context(get_directory(app).by_slug("poti")):
            hidden = links.linked_session(a.session.id, seconds=190)
        assert hidden.session.id == a.session.id and hidden.url is None
        assert hidden.moment_url is None
    finally:
        get_directory(app).invalidate()


def test_back_links_are_shown_per_provider_on_the_session_page(app, archives, client, monkeypatch,
                                                               poti):
    a = archives["poti"]
    profile_settings.set_many({"features.off": ["grants"]}, tenant_id=poti.id)
    db.session.flush()
    get_directory(app).invalidate()
    monkeypatch.setattr(links, "BACK_LINK_PROVIDERS", [])
    links.register_back_links(links.BackLinkProvider(
        "letters", "Letters about this session",
        lambda session: [links.BackLink(f"Letter on {session.title}", "/poti/letters/1", "new")]))
    links.register_back_links(links.BackLinkProvider(  # the same name again: ignored
        "letters", "Twice", lambda session: [links.BackLink("Twice", "/x")]))
    links.register_back_links(links.BackLinkProvider("empty", "Nothing", lambda session: []))
    links.register_back_links(links.BackLinkProvider(
        "grants", "Grants", lambda session: [links.BackLink("Grant", "/g")], feature="grants"))
    assert [p.name for p in links.BACK_LINK_PROVIDERS] == ["letters", "empty", "grants"]
    try:
        html = client.get(f"/poti/sessions/{a.session.id}").text
    finally:
        get_directory(app).invalidate()
    assert '<h2 id="back-links-letters">Letters about this session</h2>' in html
    assert 'href="/poti/letters/1">Letter on საკრებულოს სხდომა მალთაყვა' in html
    assert "Twice" not in html and "Nothing" not in html
    assert "Grant" not in html  # a feature Poti has switched off
