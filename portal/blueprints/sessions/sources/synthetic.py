"""A synthetic YouTube channel served through googleapiclient, for quota tests and the bench.

``SyntheticChannel`` answers channels.list, playlistItems.list and videos.list like the Data
API v3 does (same JSON shapes as tests/recorded/youtube/, page tokens, 50 items a page, ids
filter), newest video first, and counts the calls: each is one quota unit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httplib2

CHANNEL_ID = "UCsyntheticSakrebulo0001"
UPLOADS_ID = "UUsyntheticSakrebulo0001"


class SyntheticChannel:
    def __init__(self, count: int, start: datetime = datetime(2020, 1, 6, 8, tzinfo=UTC)):
        # Newest first, as the uploads playlist lists them.
        self.videos = [self._video(i, start + timedelta(days=2 * i)) for i in range(count)][::-1]
        self.calls: list[str] = []

    def publish(self, n: int = 1) -> None:
        """n new uploads at the top of the playlist."""
        latest = self.videos[0]["snippet"]["publishedAt"] if self.videos else None
        base = datetime.fromisoformat(latest.replace("Z", "+00:00")) if latest else datetime.now(
            UTC)
        total = len(self.videos)
        for i in range(n):
            self.videos.insert(0, self._video(total + i, base + timedelta(days=i + 1)))

    @staticmethod
    def _video(i: int, when: datetime) -> dict:
        vid = f"syn{i:08d}"
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"kind": "youtube#video", "etag": f"e{vid}", "id": vid,
                "snippet": {"publishedAt": stamp, "channelId": CHANNEL_ID,
                            "title": f"საკრებულოს სხდომა #{i}",
                            "description": "0:00 გახსნა\n10:00 ბიუჯეტი",
                            "thumbnails": {"default": {"url": f"https://i.ytimg.com/vi/{vid}/default.jpg",
                                                       "width": 120, "height": 90}},
                            "channelTitle": "საკრებულო", "liveBroadcastContent": "none"},
                "contentDetails": {"duration": "PT1H30M", "dimension": "2d",
                                   "definition": "hd", "caption": "false",
                                   "licensedContent": False, "projection": "rectangular"},
                "status": {"uploadStatus": "processed", "privacyStatus": "public",
                           "license": "youtube", "embeddable": True,
                           "publicStatsViewable": True},
                "liveStreamingDetails": {"actualStartTime": stamp, "actualEndTime": stamp}}

    # httplib2.Http's interface, as googleapiclient calls it
    def request(self, uri, method="GET", body=None, headers=None, redirections=5,
                connection_type=None):
        parts = urlsplit(uri)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        resource = parts.path.rsplit("/", 1)[-1]
        self.calls.append(resource)
        if resource == "channels":
            data = {"kind": "youtube#channelListResponse", "etag": "c",
                    "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                    "items": [{"kind": "youtube#channel", "etag": "c1", "id": CHANNEL_ID,
                               "contentDetails": {"relatedPlaylists": {"likes": "",
                                                                       "uploads": UPLOADS_ID}}}]}
        elif resource == "playlistItems":
            size = int(query.get("maxResults", 5))
            offset = int(query.get("pageToken", "0") or 0)
            chunk = self.videos[offset:offset + size]
            data = {"kind": "youtube#playlistItemListResponse", "etag": f"p{offset}",
                    "items": [{"kind": "youtube#playlistItem", "etag": f"i{v['id']}",
                               "id": f"PI{v['id']}",
                               "contentDetails": {"videoId": v["id"],
                                                  "videoPublishedAt": v["snippet"]["publishedAt"]}}
                              for v in chunk],
                    "pageInfo": {"totalResults": len(self.videos), "resultsPerPage": size}}
            if offset + size < len(self.videos):
                data["nextPageToken"] = str(offset + size)
        elif resource == "videos":
            wanted = query.get("id", "").split(",")
            by_id = {v["id"]: v for v in self.videos}
            items = [by_id[i] for i in wanted if i in by_id]
            data = {"kind": "youtube#videoListResponse", "etag": "v", "items": items,
                    "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}
        else:
            return httplib2.Response({"status": "404"}), b"{}"
        return httplib2.Response({"status": "200"}), json.dumps(data).encode()

    def service(self):
        from googleapiclient.discovery import build

        return build("youtube", "v3", developerKey="synthetic", static_discovery=True,
                     cache_discovery=False, http=self)
