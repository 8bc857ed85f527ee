"""yt-dlp's Python API for single videos (a pasted Facebook URL, captions of any video).

The page URL is checked by the outbound guard before yt-dlp sees it; caption files are
downloaded by ``portal.services.outbound.fetch`` (not by yt-dlp), so their hosts are checked
too. Georgian captions first, then any language; uploaded subtitles before automatic captions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from portal.blueprints.sessions.sources import RemoteVideo
from portal.blueprints.sessions.sources.transcripts import Cue, parse
from portal.blueprints.sessions.sources.youtube import parse_chapters
from portal.services.outbound import check_url, fetch

PREFERRED_FORMATS = ("vtt", "srt")
_YOUTUBE = re.compile(r"(^|\.)(youtube\.com|youtu\.be)$")


@dataclass
class Captions:
    language: str
    origin: str  # "captions" or "auto"
    cues: list[Cue]


class _QuietLogger:
    def debug(self, msg):
        pass

    info = warning = debug

    def error(self, msg):
        pass


def extract_info(url: str, ydl_factory: Callable | None = None, resolver=None) -> dict:
    """yt-dlp's info dict for one video page, without downloading the video."""
    check_url(url, *(resolver,) if resolver else ())
    if ydl_factory is None:
        from yt_dlp import YoutubeDL

        def ydl_factory(opts):
            return YoutubeDL(opts)

    options = {"skip_download": True, "noprogress": True, "quiet": True,
               "logger": _QuietLogger(), "writesubtitles": False, "noplaylist": True}
    with ydl_factory(options) as ydl:
        info = ydl.extract_info(url, download=False)
        return ydl.sanitize_info(info)


def video_from_info(info: dict) -> RemoteVideo:
    source = "youtube" if "youtube" in (info.get("extractor_key") or "").lower() else "facebook"
    published = None
    if info.get("timestamp"):
        published = datetime.fromtimestamp(info["timestamp"], UTC)
    elif info.get("upload_date"):
        published = datetime.strptime(info["upload_date"], "%Y%m%d").replace(tzinfo=UTC)
    status = info.get("live_status") or ("was_live" if info.get("was_live") else "none")
    if status in ("is_live", "post_live"):
        status = "live" if status == "is_live" else "was_live"
    elif status == "is_upcoming":
        status = "upcoming"
    elif status not in ("was_live", "none"):
        status = "none"
    chapters = [{"start": int(c.get("start_time") or 0), "title": c.get("title", "")}
                for c in info.get("chapters") or []]
    return RemoteVideo(
        source=source, external_id=str(info["id"]),
        url=info.get("webpage_url") or info.get("original_url") or "",
        title=info.get("title") or "", description=info.get("description") or "",
        published_at=published,
        duration_seconds=round(info["duration"]) if info.get("duration") else None,
        thumbnail_url=info.get("thumbnail") or "", live_status=status,
        chapters=chapters or parse_chapters(info.get("description") or ""),
    )


def pick_caption(info: dict) -> tuple[str, str, str, str] | None:
    """(language, origin, url, format) of the best caption track: Georgian first, then any."""
    tracks = [("captions", info.get("subtitles") or {}),
              ("auto", info.get("automatic_captions") or {})]
    for wanted in ("ka", None):
        for origin, by_language in tracks:
            for language, formats in by_language.items():
                if language == "live_chat":
                    continue
                if wanted and language.split("-")[0] != wanted:
                    continue
                for ext in PREFERRED_FORMATS:
                    for fmt in formats:
                        if fmt.get("ext") == ext and fmt.get("url"):
                            return language, origin, fmt["url"], ext
    return None


def fetch_captions(info: dict, fetcher: Callable[[str], bytes] = fetch) -> Captions | None:
    picked = pick_caption(info)
    if picked is None:
        return None
    language, origin, url, ext = picked
    return Captions(language.split("-")[0], origin, parse(fetcher(url), ext))
