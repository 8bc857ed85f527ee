"""Service verbs the clerk's admin will call: sessions, documents, matches, transcripts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.blueprints.sessions.council import documents, services
from portal.blueprints.sessions.models import AgendaItem, TranscriptSegment
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.search import SearchQuery, search
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context


def found(tenant, q):
    return search(db.session.connection(), SearchQuery(text=q, tenant_ids=(tenant.id,))).groups


def test_create_session_validates(archives, poti):
    body = archives["poti"].body
    with tenant_context(poti):
        with pytest.raises(services.ArchiveError):
            services.create_session(body, "  ", datetime(2025, 1, 1, tzinfo=UTC))
        with pytest.raises(services.ArchiveError):
            services.create_session(body, "x", datetime(2025, 1, 1))  # naive time
        with pytest.raises(services.ArchiveError):
            services.create_session(body, "x", datetime(2025, 1, 1, tzinfo=UTC), status="nope")
        session = services.create_session(body, "ახალი", datetime(2025, 1, 1, tzinfo=UTC),
                                          agenda=[("ერთი", None), ("ორი", None)])
        positions = db.session.scalars(select(AgendaItem.position).where(
            AgendaItem.session_id == session.id).order_by(AgendaItem.position)).all()
        assert positions == [1, 2]
        services.update_session(session, status="cancelled", place="დარბაზი")
        assert session.status == "cancelled"


def test_document_is_stored_and_its_text_searchable(archives, poti, client):
    a = archives["poti"]
    with tenant_context(poti):
        doc = documents.add_document(a.session, "ოქმი.txt",
                                     "ოქმი: ნაგვის გატანის გრაფიკი".encode(),
                                     kind="minutes", title="სხდომის ოქმი")
        assert storage.path_of(doc.storage_path).read_bytes().startswith("ოქმი".encode())
        assert found(poti, "ნაგვის")
        with pytest.raises(services.ArchiveError):
            documents.add_document(a.session, "x.pdf", b"", kind="minutes")
        with pytest.raises(services.ArchiveError):
            documents.add_document(a.session, "x.pdf", b"%PDF", kind="bogus")
    with client.get(f"/poti/sessions/documents/{doc.id}/{doc.filename}") as response:
        assert response.status_code == 200 and "ნაგვის".encode() in response.data


def test_confirm_or_correct_a_match(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        assert a.lone in recordings.unconfirmed_matches()
        recordings.confirm_match(a.lone, a.old_session)
        assert (a.lone.session_id, a.lone.is_match_confirmed) == (a.old_session.id, True)
        recordings.confirm_match(a.lone, None)
        assert a.lone.session_id is None and a.lone not in recordings.unconfirmed_matches()


def test_correct_a_segment(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        segment = db.session.scalars(select(TranscriptSegment).where(
            TranscriptSegment.recording_id == a.recording.id)).first()
        with pytest.raises(services.ArchiveError):
            recordings.correct_segment(segment, "   ")
        recordings.correct_segment(segment, "გასწორებული   ტექსტი", speaker="თავმჯდომარე")
        assert (segment.text, segment.origin) == ("გასწორებული ტექსტი", "corrected")
        assert found(poti, "გასწორებ")


def test_upload_vtt_or_srt_replaces_the_transcript(archives, poti):
    a = archives["poti"]
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nახალი სტენოგრამა\n".encode()
    with tenant_context(poti):
        assert recordings.upload_transcript(a.recording, vtt) == 1
        texts = db.session.scalars(select(TranscriptSegment.text).where(
            TranscriptSegment.recording_id == a.recording.id)).all()
        assert texts == ["ახალი სტენოგრამა"]
        assert found(poti, "სტენოგრ") and not found(poti, "წყალარინ")
        with pytest.raises(services.ArchiveError):
            recordings.upload_transcript(a.recording, b"<html>not subtitles</html>")
