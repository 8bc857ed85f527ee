"""Speakers never cost words: a "Label: text" line is a member's only when the label names a
member seated in the session's body; otherwise the whole line is text. Speakers' names are
indexed with their lines (SQLite FTS5 and PostgreSQL alike)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.blueprints.sessions.council import composition
from portal.blueprints.sessions.models import Member, TranscriptSegment
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.search import SearchQuery, search
from portal.blueprints.sessions.sources.transcripts import parse
from portal.extensions import db
from portal.tenancy import all_tenants, tenant_context

SRT = """1
00:00:01,000 --> 00:00:05,000
თემატიკა: სოფლის გზების რეაბილიტაცია და სასმელი წყალი

2
00:00:05,000 --> 00:00:09,000
დღის წესრიგი: ბიუჯეტის პროექტის განხილვა

3
00:00:09,000 --> 00:00:14,000
მაია გოგუა: ნორიოს სკოლის სახურავი შეკეთდება

4
00:00:14,000 --> 00:00:18,000
ქეთევან ლომიძე: ეს ადამიანი საკრებულოს წევრი არ არის
"""


def _lines(recording_id):
    return [(s.speaker, s.text) for s in db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.recording_id == recording_id)
        .order_by(TranscriptSegment.start_seconds))]


def _seat_member(archive, name_ka, name_en, starts_on=date(2021, 11, 1), ends_on=None):
    member = composition.save_member(None, slug=name_en.lower().replace(" ", "-"),
                                     name_ka=name_ka, name_en=name_en)
    composition.add_membership(member, archive.body, starts_on=starts_on, ends_on=ends_on)
    return member


def _search(tenant, q):
    with all_tenants():
        page = search(db.session.connection(), SearchQuery(text=q, tenant_ids=(tenant.id,)))
    return [(h.speaker, "".join(p for p, _ in h.pieces)) for g in page.groups for h in g.hits
            if h.kind == "transcript"]


def test_prose_and_headings_keep_their_words_members_become_speakers(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        _seat_member(a, "მაია გოგუა", "Maia Gogua")
        recordings.replace_transcript(a.recording, parse(SRT.encode(), "srt"))
        assert _lines(a.recording.id) == [
            ("", "თემატიკა: სოფლის გზების რეაბილიტაცია და სასმელი წყალი"),
            ("", "დღის წესრიგი: ბიუჯეტის პროექტის განხილვა"),
            ("მაია გოგუა", "ნორიოს სკოლის სახურავი შეკეთდება"),
            ("", "ქეთევან ლომიძე: ეს ადამიანი საკრებულოს წევრი არ არის"),
        ]
    # Every word is found: the prose's "label", the heading, a non-member's name.
    assert _search(poti, "თემატიკა") == [
        ("", "თემატიკა: სოფლის გზების რეაბილიტაცია და სასმელი წყალი")]
    assert len(_search(poti, "დღის წესრიგი")) == 1
    assert len(_search(poti, "ლომიძე")) == 1


def test_a_members_name_finds_their_lines(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        _seat_member(a, "მაია გოგუა", "Maia Gogua")
        recordings.replace_transcript(a.recording, parse(SRT.encode(), "srt"))
    assert _search(poti, "გოგუა") == [("მაია გოგუა", "ნორიოს სკოლის სახურავი შეკეთდება")]
    # A voice span names its speaker too; the name is searchable like any word.
    with tenant_context(poti):
        recordings.replace_transcript(a.recording, parse(
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v ნინო ბერიძე>სხდომა გაიხსნა\n".encode()))
    assert _search(poti, "ბერიძე") == [("ნინო ბერიძე", "სხდომა გაიხსნა")]


def test_labels_need_a_seat_in_the_sessions_body_on_its_day(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        _seat_member(a, "მაია გოგუა", "Maia Gogua", date(2010, 1, 1), date(2012, 1, 1))
        other = Member(slug="other", name_ka="ქეთევან ლომიძე", speaker_label="ქეთევან ლომიძე")
        db.session.add(other)
        db.session.flush()
        composition.add_membership(other, a.committee, starts_on=date(2021, 1, 1))
        recordings.replace_transcript(a.recording, parse(SRT.encode(), "srt"))
        assert [speaker for speaker, _ in _lines(a.recording.id)] == ["", "", "", ""]
        # A recording matched to no session has no members to recognise.
        recordings.replace_transcript(a.lone, parse(SRT.encode(), "srt"))
        assert [speaker for speaker, _ in _lines(a.lone.id)] == ["", "", "", ""]
