"""Audio for speech-to-text: the recording's audio track through yt-dlp (audio only, no
video), turned into 16 kHz mono 16-bit WAV by ffmpeg, and cut into pieces with the standard
``wave`` module (exact sample offsets, no ffmpeg needed to cut)."""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RATE = 16_000
#: yt-dlp's format selector: the smallest audio-only stream; video only if nothing else.
AUDIO_FORMAT = "worstaudio[acodec!=none]/bestaudio/best"


@dataclass(frozen=True)
class Piece:
    #: Where this piece starts in the recording, in seconds.
    offset: float
    seconds: float
    path: Path


def _error(reason: str, detail: str):
    from portal.blueprints.sessions.sources.speech import SpeechError

    return SpeechError(reason, detail)


def wav_seconds(path: str | Path) -> float:
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (wave.Error, EOFError, OSError) as exc:
        raise _error("audio", f"not a WAV file: {exc}") from exc


def cut_wav(path: str | Path, workdir: str | Path, seconds: float) -> list[Piece]:
    """``path`` cut into pieces of at most ``seconds`` (the last one shorter)."""
    workdir = Path(workdir)
    try:
        source = wave.open(str(path), "rb")
    except (wave.Error, EOFError, OSError) as exc:
        raise _error("audio", f"not a WAV file: {exc}") from exc
    pieces = []
    with source:
        rate, params = source.getframerate(), source.getparams()
        frames = max(1, int(seconds * rate))
        position = 0
        while True:
            data = source.readframes(frames)
            count = len(data) // (params.sampwidth * params.nchannels)
            if count == 0:
                break
            out = workdir / f"piece-{len(pieces):05d}.wav"
            with wave.open(str(out), "wb") as piece:
                piece.setparams(params)
                piece.writeframes(data)
            pieces.append(Piece(position / rate, count / rate, out))
            position += count
    if not pieces:
        raise _error("audio", "the recording has no audio")
    return pieces


def is_speech_wav(path: str | Path) -> bool:
    try:
        with wave.open(str(path), "rb") as wav:
            return (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
    except (wave.Error, EOFError, OSError):
        return False


def to_speech_wav(path: str | Path, workdir: str | Path, ffmpeg: str | None = None) -> Path:
    """``path`` as 16 kHz mono 16-bit WAV (LINEAR16 for Google, what whisper reads)."""
    if is_speech_wav(path):
        return Path(path)
    ffmpeg = ffmpeg or shutil.which("ffmpeg")
    if not ffmpeg:
        raise _error("audio", "ffmpeg is not installed (scripts/ensure-ffmpeg.sh)")
    out = Path(workdir) / "audio.wav"
    done = subprocess.run(  # noqa: S603 - a fixed program and our own file names
        [ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", str(path), "-vn", "-ac", "1",
         "-ar", str(RATE), "-sample_fmt", "s16", str(out)],
        capture_output=True, timeout=3600, check=False)
    if done.returncode != 0 or not out.exists():
        raise _error("audio", "ffmpeg: " + done.stderr.decode(errors="replace")[-300:])
    return out


def download_audio(url: str, workdir: str | Path, ydl_factory: Callable | None = None,
                   resolver=None) -> Path:
    """The recording's audio track, downloaded by yt-dlp into ``workdir`` (the page address
    is checked by the fetch guard first, as for captions)."""
    from portal.blueprints.sessions.sources.ytdlp import _QuietLogger
    from portal.services.outbound import check_url

    check_url(url, *(resolver,) if resolver else ())
    if ydl_factory is None:
        from yt_dlp import YoutubeDL

        def ydl_factory(opts):
            return YoutubeDL(opts)

    options = {"format": AUDIO_FORMAT, "outtmpl": str(Path(workdir) / "download.%(ext)s"),
               "noplaylist": True, "noprogress": True, "quiet": True,
               "logger": _QuietLogger(), "overwrites": True}
    try:
        with ydl_factory(options) as ydl:
            info = ydl.extract_info(url, download=True)
            found = Path(ydl.prepare_filename(info))
    except Exception as exc:  # noqa: BLE001 - yt-dlp raises its own DownloadError and more
        raise _error("audio", f"yt-dlp: {exc}") from exc
    if not found.exists():
        candidates = sorted(Path(workdir).glob("download.*"))
        if not candidates:
            raise _error("audio", "yt-dlp wrote no audio file")
        found = candidates[0]
    return found
