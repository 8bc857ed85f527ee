"""Documents' text reaches the search index: PDF (a real Chromium-printed file), Word .docx,
and a damaged file that is still stored and findable by its title. (The job worker reads PDF
and Word files: here its verb runs directly; tests/sessions/test_extraction.py runs the queue.)"""

from __future__ import annotations

import io
from pathlib import Path

import docx

from portal.blueprints.sessions.council import documents, services
from portal.blueprints.sessions.search import SearchQuery, search
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context

RECORDED = Path(__file__).parent.parent / "recorded" / "documents"


def found(tenant, q):
    return search(db.session.connection(), SearchQuery(text=q, tenant_ids=(tenant.id,))).groups


def test_uploaded_pdf_is_searchable_by_its_text(archives, poti, abasha, client):
    a = archives["poti"]
    with tenant_context(poti):
        document = documents.add_document(a.session, "ოქმი.pdf",
                                          (RECORDED / "minutes-ka.pdf").read_bytes(),
                                          kind="minutes", title="მარტის ოქმი")
        assert document.content_type == "application/pdf"
        assert not found(poti, "ნაპირსამაგრი")  # until the job worker has read it
        assert documents.extract_pending(document.id) == "ready"
        assert found(poti, "ნაპირსამაგრი")
        broken = documents.add_document(a.session, "scan.pdf", b"%PDF-1.4 not really",
                                        kind="decision", title="სკანირებული განკარგულება")
        assert documents.extract_pending(broken.id) == "failed"
        assert broken.text == "" and found(poti, "სკანირებული")
    with tenant_context(abasha):
        assert not found(abasha, "ნაპირსამაგრი")


def test_word_document_is_accepted_and_a_fake_one_refused(archives, poti):
    import pytest

    document = docx.Document()
    document.add_paragraph("განკარგულება ტროტუარების შეკეთების შესახებ")
    buffer = io.BytesIO()
    document.save(buffer)
    a = archives["poti"]
    with tenant_context(poti):
        stored = documents.add_document(a.session, "decision.docx", buffer.getvalue(),
                                        kind="decision")
        documents.extract_pending(stored.id)
        assert stored.content_type == storage.DOCX and found(poti, "ტროტუარების")
        with pytest.raises(services.ArchiveError):
            documents.add_document(a.session, "fake.docx", b"PK\x03\x04 not a zip",
                                   kind="decision")
