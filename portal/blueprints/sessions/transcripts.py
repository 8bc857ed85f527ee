"""WebVTT and SRT subtitles → timed segments (captions from yt-dlp, files uploaded by staff)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})"
_CUE = re.compile(_TIME + r"\s*-->\s*" + _TIME)
_TAG = re.compile(r"<[^>]+>")
_SPEAKER = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")
_DASH_SPEAKER = re.compile(r"^([^:\n]{2,60}):\s+(.+)$")
MAX_CUES = 20_000


class TranscriptFormatError(ValueError):
    """The file is neither WebVTT nor SRT, or holds no cue."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""


def _seconds(h, m, s, ms) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse(content: str | bytes) -> list[Cue]:
    """Cues of a WebVTT or SRT document, in order; consecutive duplicates (rolling automatic
    captions repeat the previous line) are dropped. Raises ``TranscriptFormatError``."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TranscriptFormatError("not UTF-8 text") from exc
    blocks = re.split(r"\n\s*\n", content.replace("\r\n", "\n").replace("\r", "\n"))
    cues: list[Cue] = []
    for block in blocks:
        lines = [line for line in block.strip().split("\n") if line.strip()]
        for index, line in enumerate(lines):
            match = _CUE.search(line)
            if not match:
                continue
            start = _seconds(*match.groups()[:4])
            end = _seconds(*match.groups()[4:])
            cue = _cue_text(lines[index + 1:], start, end)
            if cue and not (cues and cues[-1].text == cue.text):
                cues.append(cue)
            break
        if len(cues) >= MAX_CUES:
            break
    if not cues:
        raise TranscriptFormatError("no subtitle cues found")
    return cues


def _cue_text(lines: list[str], start: float, end: float) -> Cue | None:
    speaker = ""
    if lines:
        voice = _SPEAKER.match(lines[0])
        if voice:
            speaker = voice.group(1).strip()
    text = " ".join(html.unescape(_TAG.sub("", line)).strip() for line in lines)
    text = " ".join(text.split())
    if not speaker:
        labelled = _DASH_SPEAKER.match(text)
        if labelled and not labelled.group(1).strip().isdigit():
            speaker, text = labelled.group(1).strip(), labelled.group(2).strip()
    return Cue(start, max(end, start), text, speaker) if text else None
