"""Document text for search: PDF (a real Chromium-printed file), Word .docx and text-like
files are read (PDF and Word in a bounded child process); a damaged or hostile file gives no
text, and a parser never runs past its limits. (The archive's job that reads uploads:
tests/sessions/test_extraction.py.)"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from portal.services.storage import content_type
from portal.services.text import ExtractionFailed, extract_text, needs_worker, read_text
from tests.sessions.test_extraction import hostile_docx, word_file

RECORDED = Path(__file__).parent.parent / "recorded" / "documents"


def test_pdf_text_is_extracted():
    text = extract_text("oqmi.pdf", (RECORDED / "minutes-ka.pdf").read_bytes())
    assert "ნაპირსამაგრი სამუშაოები" in text
    assert "\n" not in text and "  " not in text


def test_docx_paragraphs_and_tables_are_extracted():
    document = docx.Document()
    document.add_paragraph("გადაწყვეტილება სკვერის რეაბილიტაციის შესახებ")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "ხარჯი"
    table.rows[0].cells[1].text = "12 000 ლარი"
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text("decision.docx", buffer.getvalue())
    assert "სკვერის რეაბილიტაციის" in text and "12 000 ლარი" in text
    assert content_type("decision.docx").endswith("wordprocessingml.document")


def test_damaged_pdf_gives_no_text_and_no_error():
    assert extract_text("broken.pdf", b"%PDF-1.4\n%%garbage") == ""


def test_html_text_is_extracted_without_tags():
    html = "<p>ბიუჯეტი &amp; გეგმა</p>".encode()
    assert extract_text("a.html", html) == "ბიუჯეტი & გეგმა"
    assert extract_text("a.pdf", b"%PDF-1.4") == ""


def test_only_pdf_and_word_files_need_the_worker():
    assert needs_worker("ოქმი.PDF") and needs_worker("a.docx")
    assert not needs_worker("a.txt") and not needs_worker("a.vtt")


def test_a_hostile_docx_is_refused_before_any_parser_reads_it(app):
    with app.app_context(), pytest.raises(ExtractionFailed, match="refused"):
        read_text("hostile.docx", hostile_docx())
    with app.app_context():
        assert extract_text("hostile.docx", hostile_docx()) == ""


def test_the_text_is_capped(app, monkeypatch):
    monkeypatch.setitem(app.config, "ARCHIVE_EXTRACT_MAX_CHARS", 50)
    with app.app_context():
        text = read_text("long.docx", word_file("სიტყვა " * 100))
        assert 0 < len(text) <= 50
        assert len(read_text("long.txt", ("სიტყვა " * 100).encode())) == 50
