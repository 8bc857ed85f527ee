"""Offline stand-ins for the video platforms, fed by the recorded payloads in tests/recorded/.

Used by the tests and by the demo loader, so ``make run`` shows a real-looking archive
without any network: Google's own ``HttpMockSequence`` behind the real YouTube client, recorded
Graph API JSON, yt-dlp info dicts and caption files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from portal.config import PROJECT_ROOT

RECORDED = PROJECT_ROOT / "tests" / "recorded"


def load_json(relative: str) -> dict:
    return json.loads((RECORDED / relative).read_text(encoding="utf-8"))


def youtube_service(responses: list[tuple[dict, str | bytes]]):
    """The real googleapiclient YouTube client answering from ``responses`` in order."""
    from googleapiclient.discovery import build
    from googleapiclient.http import HttpMockSequence

    encoded = [(meta, body if isinstance(body, bytes | str) else json.dumps(body))
               for meta, body in responses]
    return build("youtube", "v3", developerKey="recorded", static_discovery=True,
                 cache_discovery=False, http=HttpMockSequence(encoded))


def ok(body: dict) -> tuple[dict, str]:
    return {"status": "200"}, json.dumps(body)


class RecordedYoutubeDL:
    """Enough of ``yt_dlp.YoutubeDL`` for ``ytdlp.extract_info``: answers from info files."""

    def __init__(self, options: dict, folder: Path = RECORDED / "ytdlp"):
        self.options, self.folder = options, folder

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def extract_info(self, url: str, download: bool = False) -> dict:
        for path in self.folder.glob("*.info.json"):
            if path.name.split(".")[0] in url:
                info = json.loads(path.read_text(encoding="utf-8"))
                if download:
                    self._write_audio(info)
                return info
        from yt_dlp.utils import DownloadError

        raise DownloadError(f"ERROR: no recorded info for {url}")

    @staticmethod
    def sanitize_info(info: dict) -> dict:
        return info

    def prepare_filename(self, info: dict) -> str:
        return self.options["outtmpl"].replace("%(ext)s", "wav")

    def _write_audio(self, info: dict) -> None:
        """The "downloaded" audio track: silence of the video's length (at most two minutes),
        as the 16 kHz mono WAV the speech backends take."""
        import wave

        seconds = min(float(info.get("duration") or 60), 120.0)
        with wave.open(self.prepare_filename(info), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(16_000)
            wav.writeframes(b"\0\0" * int(seconds * 16_000))


def caption_fetch(url: str) -> bytes:
    """The recorded caption file for a caption URL (matched by video id and language)."""
    folder = RECORDED / "ytdlp"
    language = (re.search(r"[?&]lang=([\w-]+)", url) or re.search(r"_(\w\w)\.\w+$", url))
    for path in folder.iterdir():
        video_id, _, rest = path.name.partition(".")
        if video_id in url and rest.startswith(f"{language.group(1) if language else 'ka'}.") \
                and not rest.endswith("info.json"):
            return path.read_bytes()
    raise OSError(f"no recorded captions for {url}")


def graph_fetch(routes: dict[str, str]):
    """A Graph API ``fetch_json`` answering by path fragment: {"/videos": "facebook/x.json"}."""
    def fetch_json(url: str) -> dict:
        for fragment, relative in routes.items():
            if fragment in url:
                return load_json(relative)
        raise OSError(f"no recorded Graph response for {url}")

    return fetch_json


def public_resolver(host: str, port, *args, **kwargs) -> list:
    """DNS answer for the guard in offline runs: every allowed host is a public address."""
    import socket

    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("142.250.74.46", port))]


def recorded_clients(tenant=None):
    """Clients that answer only from the recorded payloads (no source configured, so a sync
    does nothing; pasted URLs resolve to the recorded yt-dlp info dicts). The tests' default
    ``ARCHIVE_CLIENTS``, so nothing in the suite reaches the network."""
    from portal.blueprints.sessions.sources.sync import Clients

    return Clients(ytdlp_factory=RecordedYoutubeDL, caption_fetch=caption_fetch,
                   resolver=public_resolver)
