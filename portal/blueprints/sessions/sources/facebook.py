"""Facebook Page videos through the Graph API (discovery) — yt-dlp cannot list a Page.

``/{page-id}/videos`` lists uploaded and past live videos, ``/{page-id}/live_videos`` the
current and scheduled lives (for the "live now" banner). The Page access token comes from the
environment; it is sent with each request and never stored (cursors keep only Graph's
``after`` value). All requests go through ``portal.services.outbound.fetch``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from portal.blueprints.sessions.sources import RemoteVideo
from portal.blueprints.sessions.sources.youtube import parse_chapters, parse_time

GRAPH = "https://graph.facebook.com/v21.0"
VIDEO_FIELDS = "id,title,description,created_time,length,picture,permalink_url,live_status"
LIVE_FIELDS = "id,status,title,description,creation_time,permalink_url,video{id}"
PAGE_SIZE = 50
LIVE_STATES = {"LIVE": "live", "SCHEDULED_UNPUBLISHED": "upcoming",
               "SCHEDULED_LIVE": "upcoming", "VOD": "was_live"}

FetchJson = Callable[[str], dict]


@dataclass
class VideosPage:
    videos: list[RemoteVideo] = field(default_factory=list)
    #: Graph's ``after`` cursor of the next page, None when the run is done.
    next_cursor: str | None = None


def guarded_json(url: str) -> dict:
    from portal.services.outbound import fetch

    return json.loads(fetch(url))


def _url(path: str, token: str, **params) -> str:
    return f"{GRAPH}/{path}?{urlencode({**params, 'access_token': token})}"


def iter_page_videos(page_id: str, token: str, known_ids: set[str], cursor: str | None = None,
                     fetch_json: FetchJson = guarded_json) -> Iterator[VideosPage]:
    """Pages of the Page's videos, newest first, until a known video or the end."""
    after = cursor
    while True:
        params = {"fields": VIDEO_FIELDS, "limit": PAGE_SIZE}
        if after:
            params["after"] = after
        data = fetch_json(_url(f"{page_id}/videos", token, **params))
        videos = [parse_video(item) for item in data.get("data", [])]
        fresh = [v for v in videos if v.external_id not in known_ids]
        paging = data.get("paging", {})
        after = paging.get("cursors", {}).get("after") if paging.get("next") else None
        done = len(fresh) < len(videos) or not after
        yield VideosPage(fresh, None if done else after)
        if done:
            return


def live_videos(page_id: str, token: str, fetch_json: FetchJson = guarded_json
                ) -> list[RemoteVideo]:
    """The Page's current and scheduled live videos (first page is enough: lives are few)."""
    data = fetch_json(_url(f"{page_id}/live_videos", token, fields=LIVE_FIELDS,
                           limit=PAGE_SIZE))
    out = []
    for item in data.get("data", []):
        status = LIVE_STATES.get(item.get("status", ""), "none")
        if status not in ("live", "upcoming"):
            continue
        video_id = (item.get("video") or {}).get("id") or item["id"]
        out.append(RemoteVideo(
            source="facebook", external_id=str(video_id),
            url=_permalink(item.get("permalink_url"), video_id),
            title=item.get("title") or "", description=item.get("description") or "",
            published_at=parse_time(_iso(item.get("creation_time"))), live_status=status,
            chapters=parse_chapters(item.get("description") or ""),
        ))
    return out


def parse_video(item: dict) -> RemoteVideo:
    description = item.get("description") or ""
    live = item.get("live_status")
    return RemoteVideo(
        source="facebook",
        external_id=str(item["id"]),
        url=_permalink(item.get("permalink_url"), item["id"]),
        title=item.get("title") or description.split("\n", 1)[0][:200],
        description=description,
        published_at=parse_time(_iso(item.get("created_time"))),
        duration_seconds=round(item["length"]) if item.get("length") else None,
        thumbnail_url=item.get("picture") or "",
        live_status={"LIVE": "live", "LIVE_STOPPED": "was_live",
                     "SCHEDULED_UNPUBLISHED": "upcoming"}.get(live, "none"),
        chapters=parse_chapters(description),
    )


def _iso(value: str | None) -> str | None:
    # Graph writes "2025-03-14T10:02:11+0000"; fromisoformat wants "+00:00".
    if value and len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        return value[:-2] + ":" + value[-2:]
    return value


def _permalink(permalink: str | None, video_id) -> str:
    if permalink:
        return permalink if permalink.startswith("http") else f"https://www.facebook.com{permalink}"
    return f"https://www.facebook.com/watch/?v={video_id}"
