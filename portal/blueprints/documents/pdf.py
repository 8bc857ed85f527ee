"""A small PDF writer for the register's demo documents and tests: pages of plain lines in
any script, a TrueType font embedded (DejaVu Sans, which has Georgian, when the system has
it) with a ToUnicode map, so the text both shows and is read back by pypdf. No layout beyond
wrapping lines; nothing here reads uploads."""

from __future__ import annotations

import struct
import textwrap
import zlib
from pathlib import Path

FONT_PATHS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN, SIZE, LEADING = 595, 842, 56, 11, 16
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING


class _Font:
    """The glyph ids and advance widths of a TrueType file (cmap format 4, hmtx)."""

    def __init__(self, data: bytes):
        self.data = data
        count = struct.unpack(">H", data[4:6])[0]
        self.tables = {data[12 + 16 * i:16 + 16 * i].decode("latin-1"):
                       struct.unpack(">II", data[20 + 16 * i:28 + 16 * i]) for i in range(count)}
        head = self.tables["head"][0]
        self.units = struct.unpack(">H", data[head + 18:head + 20])[0]
        hhea = self.tables["hhea"][0]
        metrics = struct.unpack(">H", data[hhea + 34:hhea + 36])[0]
        hmtx = self.tables["hmtx"][0]
        self.advances = [struct.unpack(">H", data[hmtx + 4 * i:hmtx + 4 * i + 2])[0]
                         for i in range(metrics)]
        self.cmap = self._cmap()

    def _cmap(self) -> dict[int, int]:
        data, base = self.data, self.tables["cmap"][0]
        subtables = struct.unpack(">H", data[base + 2:base + 4])[0]
        for i in range(subtables):
            platform, encoding, offset = struct.unpack(">HHI", data[base + 4 + 8 * i:base + 12 + 8 * i])
            at = base + offset
            if (platform, encoding) == (3, 1) and struct.unpack(">H", data[at:at + 2])[0] == 4:
                return self._format4(at)
        return {}

    def _format4(self, at: int) -> dict[int, int]:
        data = self.data
        segments = struct.unpack(">H", data[at + 6:at + 8])[0] // 2

        def array(start: int) -> list[int]:
            return list(struct.unpack(f">{segments}H", data[start:start + 2 * segments]))

        ends = array(at + 14)
        starts = array(at + 16 + 2 * segments)
        deltas = array(at + 16 + 4 * segments)
        range_at = at + 16 + 6 * segments
        ranges = array(range_at)
        mapping = {}
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            for code in range(start, min(end, 0xFFFE) + 1):
                if ranges[i] == 0:
                    glyph = (code + deltas[i]) & 0xFFFF
                else:
                    where = range_at + 2 * i + ranges[i] + 2 * (code - start)
                    glyph = struct.unpack(">H", data[where:where + 2])[0]
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    mapping[code] = glyph
        return mapping

    def width(self, glyph: int) -> int:
        advance = self.advances[min(glyph, len(self.advances) - 1)]
        return round(advance * 1000 / self.units)


def _font() -> _Font | None:
    for path in FONT_PATHS:
        if path.exists():
            return _Font(path.read_bytes())
    return None


def make_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A PDF whose pages hold ``title`` and ``paragraphs`` (wrapped at 80 characters)."""
    font = _font()
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 80) or [""]
        lines.append("")
    # Without a font file the codes are the characters themselves (ToUnicode still says them).
    glyph_of = (lambda c: font.cmap.get(ord(c), 0)) if font else ord
    used: dict[int, str] = {}
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    streams = []
    for page in pages:
        out = [f"BT /F1 {SIZE} Tf {LEADING} TL {MARGIN} {PAGE_HEIGHT - MARGIN} Td"]
        for line in page:
            codes = []
            for char in line:
                glyph = glyph_of(char)
                used.setdefault(glyph, char)
                codes.append(f"{glyph:04X}")
            out.append(f"<{''.join(codes)}> Tj T*")
        out.append("ET")
        streams.append("\n".join(out).encode("ascii"))
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data)
        return (f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode()
                + packed + b"\nendstream")

    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    pairs = sorted(used.items())
    for i in range(0, len(pairs), 100):
        chunk = pairs[i:i + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap += [f"<{g:04X}> <{ord(c):04X}>" for g, c in chunk]
        cmap.append("endbfchar")
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = add(stream("\n".join(cmap).encode("ascii")))
    descriptor = ""
    if font:
        file_ref = add(stream(font.data, f"/Length1 {len(font.data)} "))
        descriptor_ref = add(
            f"<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232]"
            f" /ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 /StemV 80"
            f" /FontFile2 {file_ref} 0 R >>".encode())
        descriptor = f" /FontDescriptor {descriptor_ref} 0 R"
        widths = " ".join(f"{g} [{font.width(g)}]" for g, _c in pairs)
    else:
        widths = ""
    cid_font = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans"
                   f" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                   f"{descriptor} /CIDToGIDMap /Identity /DW 600 /W [{widths}] >>".encode())
    type0 = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H"
                f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode())
    pages_ref = len(objects) + 1 + 2 * len(streams)
    kids = []
    for content in streams:
        content_ref = add(stream(content))
        kids.append(add(f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                        f" /Resources << /Font << /F1 {type0} 0 R >> >> /Contents {content_ref} 0 R >>".encode()))
    add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
    catalog = add(f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
