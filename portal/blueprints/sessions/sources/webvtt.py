"""The W3C WebVTT parser ("WebVTT file parsing", https://www.w3.org/TR/webvtt1/#file-parsing).

Blocks are collected as the algorithm does, line by line: a line holding ``-->`` on a
block's first line (or its second, after an identifier) opens a cue, and anywhere later it
ends the block and opens the next one, blank line or not; a cue's identifier is the line
before its timings; NOTE, STYLE and REGION blocks hold no cue. Where the algorithm quietly
drops a cue (timings it cannot read) this parser refuses the file instead, naming the line, so
a clerk never publishes half a transcript: so do a cue that ends before it starts and a file
with more cues than ``limit``. Cue settings are accepted and not used.
"""

from __future__ import annotations

from dataclasses import dataclass

_ASCII_WHITESPACE = " \t\n\f\r"


class WebVTTError(ValueError):
    """The file breaks a rule of WebVTT: ``reason`` ("header", "timing", "order", "limit")
    at ``line`` (1-based); the words for the clerk are chosen by the caller."""

    def __init__(self, reason: str, line: int):
        super().__init__(f"WebVTT {reason} error on line {line}")
        self.reason, self.line = reason, line


@dataclass(frozen=True)
class RawCue:
    identifier: str
    start: float
    end: float
    #: The cue payload as written (tags and character references included), lines joined by LF.
    text: str
    line: int


class _Input:
    """The input string with its position pointer, as the spec's algorithms use them."""

    def __init__(self, text: str):
        self.text, self.pos = text, 0
        self.line = 1  # the line ``pos`` is on, for messages

    @property
    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def collect_line(self) -> str:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end
        line, self.pos = self.text[self.pos:end], end
        return line

    def next_line(self) -> None:
        """Step over the LF at ``pos``."""
        self.pos += 1
        self.line += 1

    def skip_newlines(self) -> None:
        while not self.at_end and self.text[self.pos] == "\n":
            self.next_line()


def parse_webvtt(text: str, limit: int) -> list[RawCue]:
    """The cues of a WebVTT file (already decoded), in file order. Raises ``WebVTTError``."""
    # Preprocessing: NUL becomes U+FFFD, CRLF and CR become LF.
    text = text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\n"):
        raise WebVTTError("header", 1)
    source = _Input(text)
    source.collect_line()  # the rest of the WEBVTT line
    if source.at_end:
        return []
    source.next_line()
    _collect_block(source, in_header=True)  # header lines up to the first blank line or cue
    source.skip_newlines()
    cues: list[RawCue] = []
    while not source.at_end:
        cue = _collect_block(source, in_header=False)
        if cue is not None:
            cues.append(cue)
            if len(cues) > limit:
                raise WebVTTError("limit", cue.line)
        source.skip_newlines()
    return cues


def _collect_block(source: _Input, in_header: bool) -> RawCue | None:
    """The spec's "collect a WebVTT block": a cue, or None (header, NOTE, STYLE, REGION)."""
    line_count, previous = 0, (source.pos, source.line)
    buffer, seen_arrow = "", False
    cue: tuple | None = None
    while True:
        number = source.line
        line = source.collect_line()
        line_count += 1
        seen_eof = source.at_end
        if not seen_eof:
            source.next_line()
        if "-->" in line:
            if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                seen_arrow, previous = True, (source.pos, source.line)
                start, end = _cue_timings(line, number)
                cue, buffer = (buffer, start, end, number), ""
            else:
                source.pos, source.line = previous  # this line starts the next block
                break
        elif not line:
            break
        else:
            # STYLE and REGION blocks (which the spec collects) are of no use here: like
            # NOTE blocks and the header they end without a cue and are skipped.
            if buffer:
                buffer += "\n"
            buffer += line
            previous = (source.pos, source.line)
        if seen_eof:
            break
    if cue is None:
        return None
    identifier, start, end, number = cue
    return RawCue(identifier, start, end, buffer, number)


def _cue_timings(line: str, number: int) -> tuple[float, float]:
    """"Collect WebVTT cue timings and settings": start, end (settings are not used)."""
    source = _Input(line)
    _skip_whitespace(source)
    start = _timestamp(source, number)
    _skip_whitespace(source)
    if not line.startswith("-->", source.pos):
        raise _bad_timing(number)
    source.pos += 3
    _skip_whitespace(source)
    end = _timestamp(source, number)
    if end < start:
        raise WebVTTError("order", number)
    return start, end


def _skip_whitespace(source: _Input) -> None:
    while not source.at_end and source.text[source.pos] in _ASCII_WHITESPACE:
        source.pos += 1


def _digits(source: _Input) -> str:
    start = source.pos
    while not source.at_end and "0" <= source.text[source.pos] <= "9":
        source.pos += 1
    return source.text[start:source.pos]


def _expect(source: _Input, char: str, number: int) -> None:
    if source.at_end or source.text[source.pos] != char:
        raise _bad_timing(number)
    source.pos += 1


def _timestamp(source: _Input, number: int) -> float:
    """"Collect a WebVTT timestamp": ``[hh:]mm:ss.ttt``, hours of two or more digits."""
    first = _digits(source)
    if not first:
        raise _bad_timing(number)
    hours_given = len(first) != 2 or int(first) > 59
    _expect(source, ":", number)
    second = _digits(source)
    if len(second) != 2:
        raise _bad_timing(number)
    if hours_given or (not source.at_end and source.text[source.pos] == ":"):
        _expect(source, ":", number)
        third = _digits(source)
        if len(third) != 2:
            raise _bad_timing(number)
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    _expect(source, ".", number)
    fraction = _digits(source)
    if len(fraction) != 3 or minutes > 59 or seconds > 59:
        raise _bad_timing(number)
    return hours * 3600 + minutes * 60 + seconds + int(fraction) / 1000


def _bad_timing(number: int) -> WebVTTError:
    return WebVTTError("timing", number)
