"""The verbs the clerk's admin calls: sessions, agenda, documents, attendance, bodies,
members and seats. Direct service calls in one app context (no requests here)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.blueprints.sessions.council import attendance, composition, documents, services
from portal.blueprints.sessions.models import (
    AgendaItem,
    Attendance,
    Body,
    CouncilSession,
    Document,
    Member,
    Membership,
    Recording,
)
from portal.blueprints.sessions.search import SearchQuery, search
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context


def _picture(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "#0b4f8a").save(out, kind)
    return out.getvalue()


# Real pictures: photos are checked by content and their metadata dropped.
PNG, JPEG = _picture("PNG"), _picture("JPEG")
TBILISI = timezone(timedelta(hours=4))


@pytest.fixture
def poti_council(ctx, councils, poti):
    with tenant_context(poti):
        yield councils["poti"]


def _session(council) -> CouncilSession:
    return db.session.scalar(select(CouncilSession).where(CouncilSession.id == council.session_id))


def _positions(session_id):
    return db.session.execute(select(AgendaItem.title, AgendaItem.position).where(
        AgendaItem.session_id == session_id).order_by(AgendaItem.position)).all()


def _found(tenant, text):
    return search(db.session.connection(), SearchQuery(text=text, tenant_ids=(tenant.id,))).groups


def test_times_are_stored_in_utc_and_the_end_follows_the_start(poti_council):
    session = _session(poti_council)
    services.update_session(session, starts_at=datetime(2025, 5, 1, 10, tzinfo=TBILISI),
                            ends_at=datetime(2025, 5, 1, 12, 30, tzinfo=TBILISI))
    db.session.expire(session)
    assert services.as_utc(session.starts_at) == datetime(2025, 5, 1, 6, tzinfo=UTC)
    assert services.as_utc(session.ends_at) == datetime(2025, 5, 1, 8, 30, tzinfo=UTC)
    with pytest.raises(services.ArchiveError) as error:
        services.update_session(session, ends_at=datetime(2025, 5, 1, 9, tzinfo=TBILISI))
    assert error.value.field == "ends_at"
    with pytest.raises(services.ArchiveError):
        services.update_session(session, starts_at=datetime(2025, 5, 1, 9))  # no time zone
    with pytest.raises(services.ArchiveError) as error:
        services.update_session(session, body_id=10**6)
    assert error.value.field == "body_id"


def test_a_foreign_body_is_refused(poti_council, councils):
    session = _session(poti_council)
    with pytest.raises(services.ArchiveError):
        services.update_session(session, body_id=councils["abasha"].body_id)


def test_delete_session_unmatches_its_recordings_and_removes_files(poti_council, poti):
    session = _session(poti_council)
    doc = documents.add_document(session, "ოქმი.txt", "ოქმი: კანალიზაცია".encode(), kind="minutes")
    path = storage.path_of(doc.storage_path)
    db.session.commit()
    assert _found(poti, "კანალიზაცია")
    assert services.delete_session(session) == 1
    assert path.exists()  # not before the commit
    db.session.commit()
    assert not path.exists()
    recording = db.session.get(Recording, poti_council.recording_id)
    assert recording.session_id is None and not recording.is_match_confirmed
    for model in (AgendaItem, Document, Attendance):
        assert db.session.scalar(select(func.count(model.id)).where(
            model.session_id == poti_council.session_id)) == 0
    assert not _found(poti, "კანალიზაცია")
    groups = _found(poti, "ჩანაწერი")
    assert [g.recording_id for g in groups] == [poti_council.recording_id]  # searchable alone


def test_agenda_items_edit_move_and_delete(poti_council):
    session = _session(poti_council)
    third = services.add_agenda_item(session, "  სხვადასხვა ", None, 125)
    assert third.position == 3 and third.title == "სხვადასხვა"
    first = db.session.get(AgendaItem, poti_council.item_ids[0])
    services.update_agenda_item(first, "ბიუჯეტის ცვლილებები", None, 60)
    assert (first.reporter_id, first.start_seconds) == (None, 60)
    assert services.move_agenda_item(third, -1)
    assert [t for t, _ in _positions(session.id)] == ["ბიუჯეტის ცვლილებები", "სხვადასხვა", "სანაპირო"]
    assert not services.move_agenda_item(first, -1)  # already first
    services.delete_agenda_item(first)
    assert _positions(session.id) == [("სხვადასხვა", 1), ("სანაპირო", 2)]
    with pytest.raises(services.ArchiveError) as error:
        services.update_agenda_item(third, " ", None)
    assert error.value.field == "title"
    with pytest.raises(services.ArchiveError):
        services.add_agenda_item(session, "x", None, -5)


def test_a_reporter_from_another_municipality_is_refused(poti_council, councils, abasha):
    with tenant_context(abasha):
        foreign = db.session.scalar(select(Member).where(Member.id == councils["abasha"].member_id))
    with pytest.raises(services.ArchiveError) as error:
        services.add_agenda_item(_session(poti_council), "x", foreign)
    assert error.value.field == "reporter_id"


@pytest.mark.parametrize("name,data", [
    ("a.exe", b"MZ\x90\x00"),
    ("scan.docx", b"PK\x03\x04"),
    ("fake.pdf", b"<html>not a pdf</html>"),
    ("latin1.txt", "ოქმი".encode("utf-16")),
    ("empty.pdf", b""),
])
def test_documents_of_other_types_are_refused(poti_council, name, data):
    with pytest.raises(services.ArchiveError) as error:
        documents.add_document(_session(poti_council), name, data)
    assert error.value.field == "file"


def test_documents_larger_than_the_limit_are_refused(poti_council, monkeypatch):
    monkeypatch.setattr(documents, "DOCUMENT_MAX_BYTES", 100)
    with pytest.raises(services.ArchiveError) as error:
        documents.add_document(_session(poti_council), "a.pdf", b"%PDF-" + b"x" * 100)
    assert error.value.field == "file"
    doc = documents.add_document(_session(poti_council), "a.pdf", b"%PDF-1.4 small")
    assert doc.content_type == "application/pdf"


def test_a_rolled_back_upload_leaves_no_file(poti_council):
    doc = documents.add_document(_session(poti_council), "a.txt", b"text")
    path = storage.path_of(doc.storage_path)
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_delete_document_removes_the_file_on_commit(poti_council, poti):
    doc = documents.add_document(_session(poti_council), "განკარგულება.txt", "ბაღის შენობა".encode(),
                                 kind="decision")
    db.session.commit()
    path = storage.path_of(doc.storage_path)
    documents.delete_document(doc)
    db.session.commit()
    assert not path.exists() and not _found(poti, "ბაღის")


def test_attendance_roster_follows_seats_on_the_session_date(poti_council):
    session = _session(poti_council)
    nino = db.session.get(Member, poti_council.member_id)
    seat = db.session.scalar(select(Membership).where(Membership.member_id == nino.id))
    composition.end_membership(seat, date(2025, 3, 13))  # left the day before
    roster = attendance.attendance_roster(session)
    assert [m.id for m, _ in roster] == [poti_council.other_id]
    attendance.save_attendance(session, {poti_council.other_id: "excused"})
    assert attendance.attendance_roster(session)[0][1] == "excused"
    with pytest.raises(services.ArchiveError):
        attendance.save_attendance(session, {nino.id: "present"})  # no seat that day
    changes = attendance.save_attendance(session, {poti_council.other_id: None})
    assert changes == {poti_council.other_id: ("excused", None)}
    services.update_session(session, status="scheduled")
    with pytest.raises(services.ArchiveError):
        attendance.save_attendance(session, {poti_council.other_id: "present"})


def test_roster_uses_the_local_date(poti_council):
    session = _session(poti_council)
    # 21:30 UTC on 13 March is 01:30 on 14 March in Tbilisi: a seat from the 14th counts.
    services.update_session(session, starts_at=datetime(2025, 3, 13, 21, 30, tzinfo=UTC))
    levan = db.session.get(Member, poti_council.other_id)
    seat = db.session.scalar(select(Membership).where(Membership.member_id == levan.id))
    seat.starts_on = date(2025, 3, 14)
    db.session.flush()
    assert poti_council.other_id in [m.id for m, _ in attendance.attendance_roster(session)]


def test_bodies_have_unique_well_formed_slugs(poti_council):
    body = composition.save_body(None, slug=" Culture ", name_ka="კულტურის კომისია",
                              name_en="Culture", kind="committee", position=3)
    assert body.slug == "culture"
    for slug, field in (("finance", "slug"), ("ფინანსები", "slug"), ("a b", "slug")):
        with pytest.raises(services.ArchiveError) as error:
            composition.save_body(None, slug=slug, name_ka="x")
        assert error.value.field == field
    with pytest.raises(services.ArchiveError):
        composition.save_body(body, slug="culture", name_ka="x", kind="party")
    composition.save_body(body, slug="culture", name_ka="კულტურა", kind="committee")
    assert body.name_ka == "კულტურა"


def test_the_same_slug_in_another_municipality_is_fine(poti_council, abasha):
    with tenant_context(abasha):
        assert composition.save_body(None, slug="culture", name_ka="კულტურა").id
    composition.save_body(None, slug="culture", name_ka="კულტურა")


def test_the_unique_constraint_becomes_a_form_error(poti_council, monkeypatch):
    monkeypatch.setattr(composition, "_check_slug", lambda model, slug, current: slug)
    with pytest.raises(services.ArchiveError) as error:
        composition.save_body(None, slug="finance", name_ka="x")
    assert error.value.field == "slug"


def test_members_terms_reports_and_photos(poti_council):
    member = composition.save_member(None, slug="ana", name_ka="ანა", term_start=date(2021, 11, 1),
                                  term_end=date(2025, 11, 1),
                                  activity_report="<b>ანგარიში</b>\r\nმეორე ხაზი")
    assert member.activity_report == "<b>ანგარიში</b>\nმეორე ხაზი"  # plain text, escaped on output
    with pytest.raises(services.ArchiveError) as error:
        composition.save_member(member, slug="ana", name_ka="ანა", term_start=date(2025, 1, 1),
                             term_end=date(2024, 1, 1))
    assert error.value.field == "term_end"
    with pytest.raises(services.ArchiveError) as error:
        composition.save_member(None, slug="nino", name_ka="ნინო")
    assert error.value.field == "slug"
    composition.set_member_photo(member, "me.png", PNG)
    first = storage.path_of(member.photo_path)
    db.session.commit()
    composition.set_member_photo(member, "me.jpg", JPEG)
    assert member.photo_path.endswith(".jpg")
    db.session.commit()
    assert not first.exists() and storage.path_of(member.photo_path).exists()
    for data in (b"GIF89a....", b"<svg></svg>", PNG + b"\x00" * composition.PHOTO_MAX_BYTES):
        with pytest.raises(services.ArchiveError) as error:
            composition.set_member_photo(member, "x.png", data)
        assert error.value.field == "photo"


def test_seats_do_not_overlap(poti_council):
    nino = db.session.get(Member, poti_council.member_id)
    finance = db.session.get(Body, poti_council.committee_id)
    seat = composition.add_membership(nino, finance, starts_on=date(2022, 1, 1),
                                   ends_on=date(2023, 12, 31), role="თავმჯდომარე")
    with pytest.raises(services.ArchiveError):
        composition.add_membership(nino, finance, starts_on=date(2023, 6, 1))
    with pytest.raises(services.ArchiveError):
        composition.add_membership(nino, finance, starts_on=date(2020, 1, 1), ends_on=date(2019, 1, 1))
    later = composition.add_membership(nino, finance, starts_on=date(2024, 1, 1))
    with pytest.raises(services.ArchiveError):
        composition.end_membership(seat, date(2024, 6, 1))  # would run into the later seat
    with pytest.raises(services.ArchiveError):
        composition.end_membership(later, date(2023, 1, 1))  # before it starts
    composition.end_membership(later, date(2024, 12, 31))
    composition.delete_membership(seat)
    assert db.session.scalar(select(func.count(Membership.id)).where(
        Membership.member_id == nino.id, Membership.body_id == finance.id)) == 1
