"""Speech-to-text for recordings without captions: one small interface, two backends.

A ``Transcriber`` turns one audio file (16 kHz mono WAV, at most ``max_piece_seconds`` long
when it says so) into timed ``Segment``s and the seconds the service billed:

- ``google.GoogleTranscriber``: Google Cloud Speech-to-Text v1 ``ka-GE`` through Google's
  client library (REST transport), one ``speech:recognize`` per piece of under a minute;
- ``command.CommandTranscriber``: a local program the operator installed (whisper.cpp,
  faster-whisper…) named by a command template; its JSON, WebVTT or SRT output is read.

``transcribe_file`` cuts a long recording into pieces (``audio.py``), transcribes each and
adds each piece's offset to its times. Pure: no ORM, no app context (the job that stores
the lines is ``recordings/machine.py``). Which backend runs is the app's setting
``ARCHIVE_SPEECH_BACKEND`` (none by default); credentials only from the environment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from portal.blueprints.sessions.sources.speech import audio

BACKENDS = ("google", "command")


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str


@dataclass
class Transcript:
    segments: list[Segment] = field(default_factory=list)
    #: What the service charged for (Google rounds each request up); 0 for a local command.
    billed_seconds: float = 0.0


@dataclass
class Result:
    """A whole recording's transcript and what it took."""

    segments: list[Segment]
    audio_seconds: float
    billed_seconds: float
    elapsed_seconds: float
    pieces: int


class SpeechError(Exception):
    """The backend could not transcribe: ``reason`` is "client" (4xx: credentials, quota,
    a refused request), "server" (5xx or unreachable), "command" (the local program failed
    or its output is unreadable), "audio" (no usable audio); ``status`` the HTTP code."""

    def __init__(self, reason: str, detail: str = "", status: int | None = None):
        super().__init__(f"{reason}" + (f" {status}" if status else "") +
                         (f": {detail}" if detail else ""))
        self.reason, self.detail, self.status = reason, detail, status


class Transcriber(Protocol):
    #: "google" or "command": stored with the run.
    name: str
    #: Pieces longer than this are cut first (None: the whole file at once).
    max_piece_seconds: float | None

    def transcribe(self, audio_path: str | Path, language: str = "ka") -> Transcript: ...


def transcribe_file(transcriber: Transcriber, audio_path: str | Path, workdir: str | Path,
                    language: str = "ka", piece_seconds: float | None = None) -> Result:
    """Transcribe a 16 kHz mono WAV file piece by piece; times are the recording's own."""
    began = time.monotonic()
    limit = piece_seconds or transcriber.max_piece_seconds
    if transcriber.max_piece_seconds:
        limit = min(limit, transcriber.max_piece_seconds)
    pieces = audio.cut_wav(audio_path, workdir, limit) if limit else \
        [audio.Piece(0.0, audio.wav_seconds(audio_path), Path(audio_path))]
    segments: list[Segment] = []
    billed = 0.0
    for piece in pieces:
        found = transcriber.transcribe(piece.path, language)
        billed += found.billed_seconds
        for seg in found.segments:
            text = " ".join(seg.text.split())
            if text:
                segments.append(Segment(round(piece.offset + seg.start_s, 3),
                                        round(piece.offset + max(seg.end_s, seg.start_s), 3),
                                        text))
    return Result(segments, sum(p.seconds for p in pieces), billed,
                  time.monotonic() - began, len(pieces))


def configured_transcriber(config) -> Transcriber | None:
    """The backend the app's settings name, or None (speech-to-text is off by default)."""
    name = (config.get("ARCHIVE_SPEECH_BACKEND") or "").strip().lower()
    if name == "google":
        from portal.blueprints.sessions.sources.speech.google import GoogleTranscriber

        return GoogleTranscriber(endpoint=config.get("ARCHIVE_SPEECH_ENDPOINT") or None,
                                 credentials=config.get("ARCHIVE_SPEECH_CREDENTIALS"),
                                 timeout=float(config.get("ARCHIVE_SPEECH_TIMEOUT") or 120),
                                 retry_seconds=float(config.get("ARCHIVE_SPEECH_RETRY_SECONDS",
                                                                60)))
    if name == "command" and config.get("ARCHIVE_SPEECH_COMMAND"):
        from portal.blueprints.sessions.sources.speech.command import CommandTranscriber

        return CommandTranscriber(config["ARCHIVE_SPEECH_COMMAND"],
                                  timeout=float(config.get("ARCHIVE_SPEECH_TIMEOUT") or 3600),
                                  piece_seconds=config.get("ARCHIVE_SPEECH_PIECE_SECONDS"))
    return None
