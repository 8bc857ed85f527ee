"""SMS encoding and segments (GSM 03.38 vs UCS-2), cost, and Georgian → Latin transliteration.

Georgian letters are not in GSM-7, so Georgian text goes as UCS-2: 70 characters in one
segment, 67 per segment when split (the user data header takes the rest). GSM-7 fits 160, or
153 when split; characters of its extension table (``{ } [ ] ~ \\ | ^ €``) take two septets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portal.services.georgian.romanisation import NATIONAL

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

#: Punctuation common in Georgian text that GSM-7 lacks.
PUNCTUATION = {
    "„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-",
    "—": "-", "…": "...", "№": "No.", "\u00a0": " ", "₾": "GEL",
}


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int

    @property
    def remaining(self) -> int:
        """Characters left in the last segment before another one starts."""
        return self.segments * self.per_segment - self.length


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def segment_info(text: str) -> SegmentInfo:
    """How ``text`` is encoded and how many segments it costs."""
    if is_gsm7(text):
        length = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if length <= single:
        return SegmentInfo(encoding, length, 1, single)
    return SegmentInfo(encoding, length, math.ceil(length / multi), multi)


def cost(text: str, price_per_segment: float) -> float:
    return segment_info(text).segments * price_per_segment


def transliterate(text: str, *, mark_ejectives: bool = False) -> str:
    """Georgian → Latin letters (national system); the result is GSM-7 where it can be.

    Mtavruli capitals fold to the same letters; other characters outside GSM-7 become their
    nearest ASCII (quotes, dashes) or ``?``.
    """
    out = []
    for char in text:
        lower = char.lower() if "\u1c90" <= char <= "\u1cbf" else char
        latin = NATIONAL.get(lower)
        if latin is not None:
            if not mark_ejectives:
                latin = latin.rstrip("'")
            if lower != char:  # Mtavruli: capitalise, as Latin text would
                latin = latin.capitalize()
            out.append(latin)
        elif char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
        else:
            out.append(PUNCTUATION.get(char, "?"))
    return "".join(out)
