"""Read a document's text (for search) without letting a hostile file hurt the worker.

PDF and Word files are parsed in a child process (``textextract.py``) that limits its own
memory and CPU time; the parent adds a wall-clock timeout and caps the output. Text-like files
(txt, html, subtitles) need no parser: decoding and stripping tags is linear in their size,
which the upload limit bounds, so they are read in place. The limits are app settings
(``ARCHIVE_EXTRACT_*``) with the defaults below.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from flask import current_app, has_app_context

CHILD = Path(__file__).with_name("textextract.py")
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".vtt", ".srt"}
PARSED_SUFFIXES = {".pdf", ".docx", ".odt", ".ods", ".xlsx"}

#: App settings and their defaults.
DEFAULTS = {
    "ARCHIVE_EXTRACT_SECONDS": 30,  # wall clock, the child is killed after it
    "ARCHIVE_EXTRACT_CPU_SECONDS": 20,
    "ARCHIVE_EXTRACT_MEMORY_MB": 512,
    "ARCHIVE_EXTRACT_MAX_CHARS": 200_000,  # what the search index keeps of a document
    "ARCHIVE_EXTRACT_DOCX_XML_BYTES": 10 * 1024 * 1024,  # word/document.xml uncompressed
    "ARCHIVE_EXTRACT_DOCX_TOTAL_BYTES": 100 * 1024 * 1024,  # every part uncompressed
    "ARCHIVE_EXTRACT_PDF_PAGES": 500,
}


class ExtractionFailed(Exception):
    """The text could not be read within the limits (refused, killed, too slow, damaged)."""


def setting(name: str):
    config = current_app.config if has_app_context() else {}
    return config.get(name, DEFAULTS[name])


def needs_worker(filename: str) -> bool:
    """True for files whose text a parser reads (in the job worker, never at upload)."""
    return Path(filename).suffix.lower() in PARSED_SUFFIXES


def read_text(filename: str, data: bytes) -> str:
    """The searchable text of ``data`` (whitespace collapsed, capped); "" for formats we do
    not read. Raises ``ExtractionFailed`` when a parser is refused or stopped."""
    suffix = Path(filename).suffix.lower()
    max_chars = setting("ARCHIVE_EXTRACT_MAX_CHARS")
    if suffix in TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        if suffix in (".html", ".htm"):
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        return " ".join(text.split())[:max_chars]
    if suffix not in PARSED_SUFFIXES:
        return ""
    return _in_child(suffix, data, max_chars)


def extract_text(filename: str, data: bytes) -> str:
    """Plain text of a document for the search index (``read_text``: PDF and Word in a bounded
    child process, text-like files in place); "" when it cannot be read.

    Uploads do not call this for PDF and Word files: the job worker reads those (the
    archive's ``documents.extract_pending``), which also records a failure for the clerk.
    """
    try:
        return read_text(filename, data)
    except ExtractionFailed as failed:
        if has_app_context():
            current_app.logger.warning("could not extract the text of %s: %s", filename, failed)
        return ""


def _in_child(suffix: str, data: bytes, max_chars: int) -> str:
    limits = {"memory_mb": setting("ARCHIVE_EXTRACT_MEMORY_MB"),
              "cpu_seconds": setting("ARCHIVE_EXTRACT_CPU_SECONDS"), "max_chars": max_chars,
              "docx_xml_bytes": setting("ARCHIVE_EXTRACT_DOCX_XML_BYTES"),
              "docx_total_bytes": setting("ARCHIVE_EXTRACT_DOCX_TOTAL_BYTES"),
              "max_pdf_pages": setting("ARCHIVE_EXTRACT_PDF_PAGES")}
    seconds = setting("ARCHIVE_EXTRACT_SECONDS")
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(CHILD), suffix, json.dumps(limits)], input=data,
            capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise ExtractionFailed(f"took longer than {seconds} s") from exc
    if done.returncode == 0:
        return done.stdout[: max_chars * 4].decode("utf-8", errors="replace")[:max_chars]
    reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
    if done.returncode < 0:
        raise ExtractionFailed(f"stopped by signal {-done.returncode} (CPU or memory limit)")
    raise ExtractionFailed(reason[-1][:300] if reason else f"exit status {done.returncode}")
