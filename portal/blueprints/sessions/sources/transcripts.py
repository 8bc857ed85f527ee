"""WebVTT and SRT subtitles → timed lines (captions from yt-dlp, files uploaded by staff).

WebVTT goes through the W3C parser (``webvtt.py``); SRT through a parser held to the same
rules: a timing line starts a cue even without a blank line before it, a bad timing or a cue
ending before it starts is refused with its line number, and so is a file over ``MAX_CUES``.
A speaker comes only from a WebVTT voice span (``<v Name>``); a "Label: text" line stays
whole here, and ``label_speakers`` takes a label as a speaker only when it names a member.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from portal.blueprints.sessions.sources.webvtt import WebVTTError, parse_webvtt

MAX_CUES = 20_000
_SRT_TIME = r"(\d+):(\d{2}):(\d{2})[,.](\d{3})"
_SRT_TIMING = re.compile(rf"\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s.*)?")
#: A tag of cue text (``<v.loud Esme>``, ``</v>``, ``<b>``, ``<00:01.000>``) or an SSA override.
_TAG = re.compile(r"<(/?)([^\s.>/]*)([^\s>]*)(?:[ \t\n\f]+([^>]*))?>|\{\\[^}]*\}")
_LABEL = re.compile(r"^([^:\n]{2,60}):\s+(\S.*)$", re.S)


class TranscriptFormatError(ValueError):
    """The file cannot be read as subtitles. ``reason``: "encoding" (not UTF-8), "header" (a
    .vtt without WEBVTT), "timing" / "srt_timing" (unreadable timings), "order" (a cue ends
    before it starts), "limit" (over the cue limit), "empty" (no cue); ``line`` is 1-based.
    The words for the clerk are the caller's (``recordings.upload_transcript``)."""

    def __init__(self, reason: str, line: int | None = None, limit: int = MAX_CUES):
        super().__init__(f"{reason} error" + (f" on line {line}" if line else ""))
        self.reason, self.line, self.limit = reason, line, limit


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""
    #: The WebVTT cue identifier or SRT sequence number, as written.
    identifier: str = ""


def parse(content: str | bytes, kind: str | None = None, limit: int = MAX_CUES) -> list[Cue]:
    """Lines of a WebVTT or SRT document, in order; consecutive duplicates (rolling automatic
    captions repeat the previous line) are dropped. ``kind`` ("vtt", "srt") is what the file
    claims to be (its extension): a "vtt" file must carry the WEBVTT header; without ``kind``
    the header decides. Raises ``TranscriptFormatError``."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TranscriptFormatError("encoding") from exc
    content = content.removeprefix("\ufeff")
    if kind == "vtt" or content.startswith("WEBVTT"):
        try:
            raw = [(c.identifier, c.start, c.end, c.text) for c in parse_webvtt(content, limit)]
        except WebVTTError as exc:
            raise TranscriptFormatError(exc.reason, exc.line, limit) from exc
    else:
        raw = _parse_srt(content, limit)
    cues: list[Cue] = []
    for identifier, start, end, payload in raw:
        for speaker, text in voices(payload):
            if not (cues and cues[-1].text == text and cues[-1].speaker == speaker):
                cues.append(Cue(start, end, text, speaker, identifier))
    if not cues:
        raise TranscriptFormatError("empty")
    return cues


def voices(payload: str) -> list[tuple[str, str]]:
    """(speaker, plain text) runs of a cue's text: each ``<v Name>`` starts a run of Name,
    ``</v>`` ends it; other tags are dropped, character references decoded."""
    runs: list[list] = [["", []]]
    position = 0
    for tag in _TAG.finditer(payload):
        runs[-1][1].append(payload[position:tag.start()])
        position = tag.end()
        closing, name, annotation = tag.group(1), tag.group(2), tag.group(4)
        if name == "v" and not closing:
            runs.append([" ".join((annotation or "").split()), []])
        elif name == "v" and closing:
            runs.append(["", []])
    runs[-1][1].append(payload[position:])
    out = []
    for speaker, pieces in runs:
        text = " ".join(html.unescape("".join(pieces)).split())
        if text:
            out.append((html.unescape(speaker), text))
    return out


def _parse_srt(content: str, limit: int) -> list[tuple[str, float, float, str]]:
    """SRT blocks (number, timing, text lines). A timing line opens a cue wherever it is;
    the number line just above it belongs to it; lines after a blank line that open no cue
    continue the previous cue (no words are dropped)."""
    lines = content.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    cues: list[list] = []  # [identifier, start, end, text lines]
    loose: list[str] = []  # lines since the last blank line, not yet in a cue
    in_cue = False
    for number, line in enumerate(lines.split("\n"), 1):
        if "-->" in line:
            timing = _SRT_TIMING.fullmatch(line)
            if timing is None or not _valid_srt(timing):
                raise TranscriptFormatError("srt_timing", number)
            start, end = _srt_seconds(timing.groups()[:4]), _srt_seconds(timing.groups()[4:])
            if end < start:
                raise TranscriptFormatError("order", number)
            pending = loose if not in_cue else cues[-1][3]
            identifier = pending.pop().strip() if pending and pending[-1].strip().isdigit() \
                else ""
            if cues and not in_cue:
                cues[-1][3].extend(loose)
            loose, in_cue = [], True
            cues.append([identifier, start, end, []])
            if len(cues) > limit:
                raise TranscriptFormatError("limit", number, limit)
        elif not line.strip():
            if not in_cue and cues and loose:
                cues[-1][3].extend(loose)
                loose = []
            in_cue = False
        elif in_cue:
            cues[-1][3].append(line)
        else:
            loose.append(line)
    if cues and loose:
        cues[-1][3].extend(loose)
    return [(c[0], c[1], c[2], "\n".join(c[3])) for c in cues]


def _valid_srt(timing: re.Match) -> bool:
    minutes_seconds = [int(timing.group(i)) for i in (2, 3, 6, 7)]
    return all(value <= 59 for value in minutes_seconds)


def _srt_seconds(parts) -> float:
    h, m, s, ms = (int(p) for p in parts)
    return h * 3600 + m * 60 + s + ms / 1000


def label_speakers(cues: list[Cue], labels: Mapping[str, str]) -> list[Cue]:
    """A line "Name: text" without a voice becomes the speaker Name's text only when Name,
    case-folded, is one of ``labels`` (a member's label → the name to store); any other
    "Word: text" (prose, an agenda heading) stays whole."""
    if not labels:
        return cues
    out = []
    for cue in cues:
        found = None if cue.speaker else _LABEL.match(cue.text)
        name = labels.get(" ".join(found.group(1).split()).casefold()) if found else None
        out.append(replace(cue, speaker=name, text=found.group(2).strip()) if name else cue)
    return out
