"""YouTube Data API v3: a channel's uploads, newest first, at one quota unit per call.

channels.list (1) → uploads playlist → playlistItems.list, 50 a page (1 each) → videos.list for
the new ids, 50 a batch (1 each). Paging stops at the first page holding a video we already
have, so an unchanged channel costs 2 units. ``search.list`` (100 units) is never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from portal.blueprints.sessions.sources import RemoteVideo

PAGE_SIZE = 50
_DURATION = re.compile(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
_CHAPTER = re.compile(r"^\s*[\[(]?((?:\d{1,2}:)?\d{1,2}:\d{2})[\])]?\s*[-–—:.]?\s*(.+?)\s*$")


@dataclass
class UploadsPage:
    videos: list[RemoteVideo] = field(default_factory=list)
    quota_units: int = 0
    #: Resume point after this page ("<playlist>|<page token>"), None when the run is done.
    next_cursor: str | None = None


def build_service(api_key: str, http=None):
    """A YouTube client from the discovery document shipped in the package (no network)."""
    from googleapiclient.discovery import build

    from portal.services.outbound import guarded_http

    return build("youtube", "v3", developerKey=api_key, static_discovery=True,
                 cache_discovery=False, http=http or guarded_http())


class QuotaMeter:
    """Quota units spent on the Data API, counted as each call is sent: the API charges every
    request, a failed one (403 over quota, 500) included, so a run that fails in the middle
    still reports the calls it made."""

    def __init__(self) -> None:
        self.units = 0
        self._reported = 0

    def execute(self, request, cost: int = 1) -> dict:
        self.units += cost
        return request.execute()

    def take(self) -> int:
        """The units spent since the last ``take`` (each unit is reported once)."""
        spent, self._reported = self.units - self._reported, self.units
        return spent


def iter_uploads(service, channel_id: str, known_ids: set[str], cursor: str | None = None,
                 meter: QuotaMeter | None = None) -> Iterator[UploadsPage]:
    """Pages of new videos of ``channel_id``, newest first, until a known video or the end.

    Each page reports the units spent since the previous one; units of calls made after the
    last page (a failure) stay in ``meter`` for the caller to take."""
    meter = meter or QuotaMeter()
    if cursor and "|" in cursor:
        playlist_id, page_token = cursor.split("|", 1)
    else:
        response = meter.execute(service.channels().list(part="contentDetails", id=channel_id))
        items = response.get("items") or []
        if not items:
            raise LookupError(f"YouTube channel {channel_id} not found")
        playlist_id = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        page_token = None
    while True:
        response = meter.execute(service.playlistItems().list(
            part="contentDetails", playlistId=playlist_id, maxResults=PAGE_SIZE,
            pageToken=page_token or None))
        ids = [item["contentDetails"]["videoId"] for item in response.get("items", [])]
        fresh = [video_id for video_id in ids if video_id not in known_ids]
        videos, _ = fetch_videos(service, fresh, meter)
        page_token = response.get("nextPageToken")
        reached_known = len(fresh) < len(ids)
        done = reached_known or not page_token
        yield UploadsPage(videos, meter.take(), None if done else f"{playlist_id}|{page_token}")
        if done:
            return


def fetch_videos(service, video_ids: Iterable[str], meter: QuotaMeter | None = None
                 ) -> tuple[list[RemoteVideo], int]:
    """Details of ``video_ids`` (videos.list, 50 ids a call) and the units spent; private
    videos are left out. A request by id sends no ``maxResults``: the API documents it as not
    supported together with ``id`` (the ids already bound the answer)."""
    ids = list(video_ids)
    meter = meter or QuotaMeter()
    spent_before = meter.units
    videos = []
    for start in range(0, len(ids), PAGE_SIZE):
        response = meter.execute(service.videos().list(
            part="snippet,contentDetails,liveStreamingDetails,status",
            id=",".join(ids[start:start + PAGE_SIZE])))
        for item in response.get("items", []):
            if item.get("status", {}).get("privacyStatus", "public") == "private":
                continue
            videos.append(parse_video(item))
    return videos, meter.units - spent_before


def parse_video(item: dict) -> RemoteVideo:
    snippet = item.get("snippet", {})
    live = item.get("liveStreamingDetails", {})
    broadcast = snippet.get("liveBroadcastContent", "none")
    if broadcast in ("live", "upcoming"):
        status = broadcast
    else:
        status = "was_live" if live.get("actualEndTime") else "none"
    published = live.get("actualStartTime") or live.get("scheduledStartTime") or snippet.get(
        "publishedAt")
    thumbs = snippet.get("thumbnails", {})
    thumb = next((thumbs[k]["url"] for k in ("high", "medium", "default") if k in thumbs), "")
    description = snippet.get("description", "")
    return RemoteVideo(
        source="youtube",
        external_id=item["id"],
        url=f"https://www.youtube.com/watch?v={item['id']}",
        title=snippet.get("title", ""),
        description=description,
        published_at=parse_time(published),
        duration_seconds=parse_duration(item.get("contentDetails", {}).get("duration")),
        thumbnail_url=thumb,
        live_status=status,
        chapters=parse_chapters(description),
    )


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_duration(value: str | None) -> int | None:
    """ISO 8601 durations as YouTube writes them (``PT1H2M3S``, ``P1DT2H``); live: ``P0D``."""
    match = _DURATION.match(value or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return total or None  # a live stream reports P0D: no duration yet


def parse_chapters(description: str) -> list[dict]:
    """``0:00 Opening`` lines → [{"start": 0, "title": "Opening"}], as YouTube reads them:
    at least two timestamps, the first at 0:00, in increasing order; otherwise none."""
    chapters = []
    for line in (description or "").splitlines():
        match = _CHAPTER.match(line)
        if not match:
            continue
        seconds = 0
        for part in match.group(1).split(":"):
            seconds = seconds * 60 + int(part)
        chapters.append({"start": seconds, "title": match.group(2)})
    starts = [c["start"] for c in chapters]
    if len(chapters) < 2 or starts[0] != 0 or starts != sorted(set(starts)):
        return []
    return chapters
