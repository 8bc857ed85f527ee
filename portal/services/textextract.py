"""The child process that reads a document's text: ``python -I textextract.py SUFFIX LIMITS``.

It runs the third-party parsers (pypdf, python-docx) on an uploaded file, which may be made to
hurt them (a 27 kB .docx with three million empty paragraphs took 53 s and 1 GB), so it limits
itself first: address space (RLIMIT_AS), CPU time (RLIMIT_CPU), no files written (RLIMIT_FSIZE).
A .docx is refused before parsing when its parts are larger than allowed uncompressed (a zip
bomb). The file comes on stdin; the text (whitespace collapsed, at most ``max_chars``) goes to
stdout. Exit 0: text; exit 2: refused, the reason on stderr; anything else: could not read it.

Nothing of the portal is imported: the parent (``portal/services/text.py``) runs this file by its path
with ``-I``, so the child loads only what parsing needs.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import zipfile

REFUSED = 2


class Refused(Exception):
    """The file is larger than the limits allow (said before any parser sees it)."""


def limit_self(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def check_docx(data: bytes, xml_bytes: int, total_bytes: int, main_part: str = "word/document.xml") -> None:
    """Refuse a .docx whose main part or whole content is too large once uncompressed. The
    sizes are the ones the archive declares; zipfile stops reading a part at its declared
    size and fails its CRC, so a part cannot lie its way past this."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > 2000:
            raise Refused(f"{len(parts)} parts in the archive")
        main = next((p for p in parts if p.filename == main_part), None)
        if main is not None and main.file_size > xml_bytes:
            raise Refused(f"{main_part} is {main.file_size} bytes uncompressed")
        total = sum(p.file_size for p in parts)
        if total > total_bytes:
            raise Refused(f"{total} bytes uncompressed")


def pdf_text(data: bytes, max_chars: int, max_pages: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        return ""
    pieces, size = [], 0
    for page in reader.pages[:max_pages]:  # stop early: only max_chars are kept
        piece = page.extract_text() or ""
        pieces.append(piece)
        size += len(piece)
        if size >= max_chars:
            break
    return "\n".join(pieces)


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def xml_text(data: bytes, parts: tuple[str, ...], breaks: tuple[str, ...],
             keep: tuple[str, ...] = ()) -> str:
    """The text of an OpenDocument or spreadsheet's XML parts (a part name ending in "*" is
    every part it begins), a line after each element whose local name is in ``breaks``; with
    ``keep``, only those elements' text. Read as a stream: no tree is kept."""
    from xml.etree.ElementTree import iterparse

    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        chosen = [n for p in parts for n in names
                  if n == p or (p.endswith("*") and n.startswith(p[:-1]))]
        for part in chosen:
            with archive.open(part) as stream:
                piece: list[str] = []
                for _event, element in iterparse(stream, events=("end",)):
                    name = element.tag.rsplit("}", 1)[-1]
                    if element.text and (not keep or name in keep):
                        piece.append(element.text)
                    if element.tail and not keep:
                        piece.append(element.tail)
                    if name in breaks:
                        lines.append("".join(piece))
                        piece = []
                    element.clear()
                lines.append("".join(piece))
    return "\n".join(line for line in lines if line)


def extract(suffix: str, data: bytes, limits: dict) -> str:
    if suffix == ".pdf":
        text = pdf_text(data, limits["max_chars"], limits["max_pdf_pages"])
    elif suffix == ".docx":
        check_docx(data, limits["docx_xml_bytes"], limits["docx_total_bytes"])
        text = docx_text(data)
    elif suffix in (".odt", ".ods"):
        check_docx(data, limits["docx_xml_bytes"], limits["docx_total_bytes"], "content.xml")
        text = xml_text(data, ("content.xml",), ("p", "h", "table-cell"))
    elif suffix == ".xlsx":
        check_docx(data, limits["docx_xml_bytes"], limits["docx_total_bytes"], "xl/sharedStrings.xml")
        text = xml_text(data, ("xl/sharedStrings.xml", "xl/worksheets/sheet*"), ("si", "c"), ("t",))
    else:
        raise Refused(f"no extractor for {suffix}")
    return " ".join(text.replace("\x00", " ").split())[:limits["max_chars"]]


def main(argv: list[str]) -> int:
    suffix, limits = argv[1], json.loads(argv[2])
    limit_self(limits["memory_mb"], limits["cpu_seconds"])
    data = sys.stdin.buffer.read()
    try:
        text = extract(suffix, data, limits)
    except Refused as refused:
        sys.stderr.write(f"refused: {refused}")
        return REFUSED
    except MemoryError:
        sys.stderr.write("refused: over the memory limit")
        return REFUSED
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
