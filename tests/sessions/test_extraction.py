"""Documents' text is extracted in the job worker, bounded in size, memory and time: the upload
answers at once with the text pending, a hostile Word file is refused or killed and marked
failed, and a normal PDF and .docx get their text through the real job queue."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from sqlalchemy import delete, select

from portal.blueprints.sessions import tasks
from portal.blueprints.sessions.council import documents, services
from portal.blueprints.sessions.models import Body, CouncilSession, Document
from portal.blueprints.sessions.search import SearchQuery, search
from portal.extensions import db
from portal.jobs.models import JobRun
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.jobs.test_queue import _wait_for, consumer, queue  # noqa: F401 - the fixture
from tests.staff_fixtures import signed_in

RECORDED = Path(__file__).parent.parent / "recorded" / "documents"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def hostile_docx(paragraphs: int = 3_000_000) -> bytes:
    """A small .docx (tens of kB) whose document.xml holds millions of empty paragraphs."""
    body = b"<w:p/>" * paragraphs
    xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           b'<w:document xmlns:w="' + W.encode() + b'"><w:body>' + body + b"</w:body></w:document>")
    normal = io.BytesIO()
    docx.Document().save(normal)
    out = io.BytesIO()
    with zipfile.ZipFile(normal) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item.filename, data, compresslevel=9)
    return out.getvalue()


def word_file(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def found(tenant, q):
    return search(db.session.connection(), SearchQuery(text=q, tenant_ids=(tenant.id,))).groups


@pytest.fixture
def poti_session(ctx, poti):
    with tenant_context(poti):
        body = Body(slug="extraction", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        return services.create_session(body, "სხდომა", datetime(2025, 3, 14, 8, tzinfo=UTC),
                                       status="held")


def test_the_hostile_docx_is_refused_within_bounds_and_marked_failed(poti_session, poti):
    data = hostile_docx()
    assert len(data) < 100_000  # the default template (styles, a thumbnail) and the bomb
    with tenant_context(poti):
        started = time.monotonic()
        document = documents.add_document(poti_session, "hostile.docx", data, kind="other",
                                          title="მტრული ფაილი")
        assert time.monotonic() - started < 2  # the upload does not parse it
        assert (document.text_status, document.text) == ("pending", "")
        started = time.monotonic()
        tasks.extract_document_text(poti.id, document_id=document.id)
        assert time.monotonic() - started < 5
        db.session.refresh(document)
        assert (document.text_status, document.text) == ("failed", "")
        assert found(poti, "მტრული")  # still found by its title


def test_a_parser_that_runs_away_is_killed_by_the_memory_and_time_bounds(
        app, poti_session, poti, monkeypatch):
    # Let the file past the size check, so the parser itself meets the child's limits.
    monkeypatch.setitem(app.config, "ARCHIVE_EXTRACT_DOCX_XML_BYTES", 10**9)
    monkeypatch.setitem(app.config, "ARCHIVE_EXTRACT_MEMORY_MB", 300)
    monkeypatch.setitem(app.config, "ARCHIVE_EXTRACT_SECONDS", 4)
    with tenant_context(poti):
        document = documents.add_document(poti_session, "hostile.docx", hostile_docx())
        started = time.monotonic()
        tasks.extract_document_text(poti.id, document_id=document.id)
        assert time.monotonic() - started < 8
        db.session.refresh(document)
        assert document.text_status == "failed"


def test_extraction_output_is_capped_and_the_job_is_idempotent(app, poti_session, poti,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_EXTRACT_MAX_CHARS", 50)
    with tenant_context(poti):
        document = documents.add_document(poti_session, "long.docx", word_file("სიტყვა " * 100))
        tasks.extract_document_text(poti.id, document_id=document.id)
        db.session.refresh(document)
        assert document.text_status == "ready" and 0 < len(document.text) <= 50
        document.text = "changed by hand"
        db.session.flush()
        tasks.extract_document_text(poti.id, document_id=document.id)  # done already: no-op
        db.session.refresh(document)
        assert document.text == "changed by hand"
        tasks.extract_document_text(poti.id, document_id=10**6)  # deleted meanwhile: no-op


def test_the_upload_answers_at_once_and_the_clerk_sees_pending_then_failed(
        app, poti_session, poti, staff):
    session_id = poti_session.id
    db.session.commit()
    client = app.test_client()
    signed_in(client, staff(poti, ["admin"]))
    page = f"/poti/admin/sessions/{session_id}"
    data = {"csrf_token": csrf_token(client.get(page).text), "document-kind": "other",
            "document-file": (io.BytesIO(hostile_docx()), "bomb.docx")}
    started = time.monotonic()
    response = client.post(f"{page}/documents", data=data)
    assert response.status_code == 303 and time.monotonic() - started < 3
    assert "ტექსტის ამოღება მიმდინარეობს" in client.get(page).text
    with tenant_context(poti):
        document_id = db.session.scalar(select(Document.id).where(
            Document.session_id == session_id))
        tasks.extract_document_text(poti.id, document_id=document_id)
        db.session.commit()
    assert "ტექსტის ამოღება ვერ მოხერხდა" in client.get(page).text


@pytest.mark.no_db_rollback
def test_normal_pdf_and_docx_get_their_text_through_the_real_queue(app, queue, poti):  # noqa: F811
    with app.app_context(), tenant_context(poti):
        body = Body(slug="extraction-queue", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        session = services.create_session(body, "სხდომა", datetime(2025, 3, 14, 8, tzinfo=UTC),
                                          status="held")
        session_id = session.id
        documents.add_document(session, "ოქმი.pdf", (RECORDED / "minutes-ka.pdf").read_bytes(),
                               kind="minutes")
        documents.add_document(session, "decision.docx",
                               word_file("განკარგულება ტროტუარების შეკეთების შესახებ"))
        db.session.commit()  # queues one extraction job per document
    try:
        assert queue.huey.pending_count() == 2
        assert _statuses(app, poti, session_id) == ["pending", "pending"]
        with consumer(queue):
            _wait_for(lambda: _statuses(app, poti, session_id) == ["ready", "ready"], 60)
        with app.app_context(), tenant_context(poti):
            assert found(poti, "ნაპირსამაგრი") and found(poti, "ტროტუარების")
            db.session.rollback()
    finally:
        with app.app_context(), tenant_context(poti):
            # Through the ORM, so the search index forgets them too (the later tests count it).
            for model, condition in ((Document, Document.session_id == session_id),
                                     (CouncilSession, CouncilSession.id == session_id),
                                     (Body, Body.slug == "extraction-queue")):
                for row in db.session.scalars(select(model).where(condition)):
                    db.session.delete(row)
                db.session.flush()
            db.session.commit()
            assert not found(poti, "ნაპირსამაგრი")
        with app.app_context():
            db.session.execute(delete(JobRun).where(JobRun.name == "extract_document_text"))
            db.session.commit()


def _statuses(app, tenant, session_id) -> list[str]:
    with app.app_context(), tenant_context(tenant):
        rows = db.session.scalars(select(Document.text_status).where(
            Document.session_id == session_id).order_by(Document.id)).all()
        db.session.rollback()
        return list(rows)


def test_a_document_left_pending_is_picked_up_by_the_periodic_sweep(app, poti_session, poti):
    from datetime import timedelta

    from portal.db import utcnow
    from portal.jobs.schedule import full_schedule

    assert "extract_stale_documents" in {entry.job for entry in full_schedule(app)}
    with tenant_context(poti):
        lost = documents.add_document(poti_session, "lost.docx", word_file("დაკარგული სამუშაო"))
        fresh = documents.add_document(poti_session, "fresh.docx", word_file("ახალი"))
        lost.created_at = utcnow() - timedelta(hours=1)  # its job was lost with a killed worker
        db.session.commit()
        tasks.extract_stale_documents(poti.id)
        db.session.expire_all()
        assert (lost.text_status, fresh.text_status) == ("ready", "pending")
        assert found(poti, "დაკარგული")
