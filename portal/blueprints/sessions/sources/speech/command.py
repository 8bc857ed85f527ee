"""A local speech-to-text program the operator installed (whisper.cpp, faster-whisper…),
named by a command template (the setting ``ARCHIVE_SPEECH_COMMAND``), for example

    /opt/whisper.cpp/build/bin/whisper-cli -m /opt/models/ggml-large-v3.bin -l {language}
        -f {audio} -oj -of {output}

``{audio}`` is the WAV piece, ``{language}`` the language code ("ka"), ``{output}`` a path
without extension in a scratch folder. The program is run without a shell. Its transcript is
read from ``{output}.json``, ``.vtt`` or ``.srt`` when it wrote one, else from its standard
output: whisper.cpp's JSON (``transcription[].offsets`` in milliseconds), a ``segments``
list with ``start``/``end`` seconds (openai-whisper, faster-whisper scripts), WebVTT or SRT.
Nothing is downloaded here: the model is whatever the operator's command loads.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import tempfile
from pathlib import Path

from portal.blueprints.sessions.sources.speech import Segment, SpeechError, Transcript
from portal.blueprints.sessions.sources.transcripts import TranscriptFormatError, parse

OUTPUT_SUFFIXES = (".json", ".vtt", ".srt")


class CommandTranscriber:
    name = "command"

    def __init__(self, template: str, timeout: float = 3600, piece_seconds=None):
        self.template = template
        self.timeout = timeout
        self.max_piece_seconds = float(piece_seconds) if piece_seconds else None

    def argv(self, audio: Path, language: str, output: Path) -> list[str]:
        values = {"audio": str(audio), "language": language, "output": str(output)}
        try:
            return [part.format(**values) for part in shlex.split(self.template)]
        except (KeyError, IndexError, ValueError) as exc:
            raise SpeechError("command", f"bad command template: {exc}") from exc

    def transcribe(self, audio_path: str | Path, language: str = "ka") -> Transcript:
        with tempfile.TemporaryDirectory(prefix="speech-") as scratch:
            output = Path(scratch) / "transcript"
            argv = self.argv(Path(audio_path), language, output)
            try:
                done = subprocess.run(argv, capture_output=True, timeout=self.timeout,  # noqa: S603
                                      check=False, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SpeechError("command", str(exc)) from exc
            if done.returncode != 0:
                tail = done.stderr.decode(errors="replace").strip()[-300:]
                raise SpeechError("command", f"exit status {done.returncode}: {tail}")
            for suffix in OUTPUT_SUFFIXES:
                written = output.with_suffix(suffix)
                if written.exists():
                    return Transcript(read_output(written.read_bytes(), suffix[1:]))
            return Transcript(read_output(done.stdout))


def read_output(content: bytes, kind: str | None = None) -> list[Segment]:
    """Segments from a speech program's JSON, WebVTT or SRT output."""
    text = content.decode("utf-8-sig", errors="replace").strip()
    if kind == "json" or text.startswith(("{", "[")):
        try:
            return _from_json(json.loads(text))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise SpeechError("command", f"unreadable JSON output: {exc}") from exc
    if not text:
        return []
    try:
        cues = parse(text, kind if kind in ("vtt", "srt") else None)
    except TranscriptFormatError as exc:
        raise SpeechError("command", f"unreadable output ({exc})") from exc
    return [Segment(c.start, c.end, c.text) for c in cues]


def _from_json(data) -> list[Segment]:
    if isinstance(data, dict) and "transcription" in data:  # whisper.cpp -oj
        return [Segment(item["offsets"]["from"] / 1000, item["offsets"]["to"] / 1000,
                        str(item.get("text", "")).strip())
                for item in data["transcription"]]
    items = data.get("segments", []) if isinstance(data, dict) else data
    return [Segment(float(item["start"]), float(item["end"]), str(item.get("text", "")).strip())
            for item in items]
