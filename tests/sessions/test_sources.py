"""Source clients against recorded payloads: YouTube (Google's HTTP mocks), Graph API, yt-dlp,
subtitles. Fixtures are checked against the discovery document shipped with the client."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import googleapiclient
import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpMockSequence

from portal.blueprints.sessions.sources import facebook, youtube, ytdlp
from portal.blueprints.sessions.sources.recorded import (
    RecordedYoutubeDL,
    caption_fetch,
    graph_fetch,
    load_json,
    ok,
    public_resolver,
    youtube_service,
)
from portal.blueprints.sessions.sources.synthetic import SyntheticChannel
from portal.blueprints.sessions.sources.transcripts import TranscriptFormatError, parse

DISCOVERY = (Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
             / "youtube.v3.json")


def _check_shape(value, schema, schemas, path="$"):
    """Every key of a recorded response must exist in the API's schema, with the right type."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        assert isinstance(value, dict), path
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                _check_shape(item, props[key], schemas, f"{path}.{key}")
            elif extra:
                _check_shape(item, extra, schemas, f"{path}.{key}")
            else:
                raise AssertionError(f"{path}.{key} is not in the YouTube API schema")
    elif kind == "array":
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            _check_shape(item, schema["items"], schemas, f"{path}[{i}]")
    elif kind == "string":
        assert isinstance(value, str), path
    elif kind == "boolean":
        assert isinstance(value, bool), path
    elif kind in ("integer", "number"):
        assert isinstance(value, int | float), path


@pytest.mark.parametrize("fixture, schema", [
    ("youtube/poti_channels.json", "ChannelListResponse"),
    ("youtube/poti_playlist_items.json", "PlaylistItemListResponse"),
    ("youtube/poti_videos.json", "VideoListResponse"),
])
def test_recorded_youtube_payloads_match_the_discovery_document(fixture, schema):
    schemas = json.loads(DISCOVERY.read_text())["schemas"]
    _check_shape(load_json(fixture), {"$ref": schema}, schemas)


def test_synthetic_channel_payloads_match_the_discovery_document():
    schemas = json.loads(DISCOVERY.read_text())["schemas"]
    channel = SyntheticChannel(3)
    for resource, schema, query in (("channels", "ChannelListResponse", ""),
                                    ("playlistItems", "PlaylistItemListResponse", "maxResults=2"),
                                    ("videos", "VideoListResponse", "id=syn00000001")):
        _, body = channel.request(f"https://youtube.googleapis.com/youtube/v3/{resource}?{query}")
        _check_shape(json.loads(body), {"$ref": schema}, schemas)


def test_recorded_channel_pages_and_details():
    service = youtube_service([ok(load_json("youtube/poti_channels.json")),
                               ok(load_json("youtube/poti_playlist_items.json")),
                               ok(load_json("youtube/poti_videos.json"))])
    pages = list(youtube.iter_uploads(service, "UCq8PotiSakrebulo2xKd7w", set()))
    assert len(pages) == 1 and pages[0].quota_units == 3 and pages[0].next_cursor is None
    live, held, older = pages[0].videos
    assert live.live_status == "live" and held.live_status == "was_live"
    assert held.duration_seconds == 3809 and held.chapters[1] == {
        "start": 190, "title": "2025 წლის ბიუჯეტის ცვლილებები"}
    assert held.url == "https://www.youtube.com/watch?v=Pt7Kd2sQx9A"


def test_quota_first_sync_and_unchanged_rerun():
    channel = SyntheticChannel(1000)
    service = channel.service()
    pages = list(youtube.iter_uploads(service, "UC", set()))
    assert sum(p.quota_units for p in pages) == 41 == len(channel.calls)
    assert "search" not in channel.calls
    known = {v.external_id for p in pages for v in p.videos}
    assert len(known) == 1000
    rerun = list(youtube.iter_uploads(service, "UC", known))
    assert sum(p.quota_units for p in rerun) == 2 and rerun[0].videos == []
    channel.publish(3)
    update = list(youtube.iter_uploads(service, "UC", known))
    assert [len(p.videos) for p in update] == [3] and update[0].quota_units == 3


def test_quota_exceeded_is_an_error():
    service = youtube_service([({"status": "403"}, json.dumps(load_json(
        "youtube/quota_exceeded.json")))])
    with pytest.raises(HttpError):
        list(youtube.iter_uploads(service, "UC", set()))


@pytest.mark.parametrize("value, seconds", [("PT1H2M3S", 3723), ("PT45S", 45), ("P1DT1H", 90000),
                                            ("P0D", None), (None, None)])
def test_durations(value, seconds):
    assert youtube.parse_duration(value) == seconds


def test_chapters_need_zero_start_and_order():
    assert youtube.parse_chapters("1:00 a\n2:00 b") == []
    assert youtube.parse_chapters("0:00 a\n1:02:03 - b") == [
        {"start": 0, "title": "a"}, {"start": 3723, "title": "b"}]


def test_graph_api_videos_and_lives():
    fetch = graph_fetch({"/videos": "facebook/abasha_videos.json",
                         "/live_videos": "facebook/abasha_live_videos.json"})
    pages = list(facebook.iter_page_videos("abasha.sakrebulo", "TOKEN", set(), None, fetch))
    videos = pages[0].videos
    assert [v.external_id for v in videos] == ["1187234905563120", "1165009881230077"]
    assert videos[0].url.startswith("https://www.facebook.com/abasha.sakrebulo/videos/")
    assert videos[0].live_status == "was_live" and videos[0].duration_seconds == 3120
    assert len(videos[0].chapters) == 3
    assert facebook.live_videos("abasha.sakrebulo", "TOKEN", fetch) == []  # VOD only


def test_graph_urls_carry_token_but_cursors_do_not():
    urls = []

    def fetch(url):
        urls.append(url)
        return {"data": [{"id": "1"}], "paging": {"next": "x", "cursors": {"after": "AFTER"}}}

    page = next(facebook.iter_page_videos("p", "SECRET", set(), None, fetch))
    assert "access_token=SECRET" in urls[0] and page.next_cursor == "AFTER"


def test_ytdlp_info_and_georgian_captions_first():
    info = ytdlp.extract_info("https://www.youtube.com/watch?v=Pt7Kd2sQx9A", RecordedYoutubeDL,
                              public_resolver)
    video = ytdlp.video_from_info(info)
    assert video.source == "youtube" and video.duration_seconds == 3809
    assert ytdlp.pick_caption(info)[:2] == ("ka", "captions")
    captions = ytdlp.fetch_captions(info, caption_fetch)
    assert captions.language == "ka" and captions.cues[0].speaker == "ნინო ბერიძე"
    auto = ytdlp.extract_info("https://www.youtube.com/watch?v=Pt2Bn8rLw4c", RecordedYoutubeDL,
                              public_resolver)
    assert ytdlp.pick_caption(auto)[:2] == ("ka", "auto")
    fb = ytdlp.extract_info("https://www.facebook.com/abasha.sakrebulo/videos/1187234905563120/",
                            RecordedYoutubeDL, public_resolver)
    assert ytdlp.video_from_info(fb).source == "facebook"
    # An SRT "Name: text" line stays whole here: only a member's label becomes a speaker,
    # and members are known where the transcript is stored (recordings.replace_transcript).
    line = ytdlp.fetch_captions(fb, caption_fetch).cues[1]
    assert line.speaker == "" and line.text.startswith("მაია გოგუა: სოფლის")


def test_ytdlp_refuses_urls_outside_the_allow_list():
    from portal.services.outbound import FetchRefused

    with pytest.raises(FetchRefused):
        ytdlp.extract_info("https://evil.example/video", RecordedYoutubeDL, public_resolver)


def test_parse_vtt_and_srt():
    vtt = parse(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v \xe1\x83\x9c>hi <b>there</b>\n")
    assert vtt[0].start == 1 and vtt[0].end == 2.5 and vtt[0].text == "hi there"
    srt = parse("1\n00:01:00,000 --> 00:01:05,000\nა\n\n2\n00:01:05,000 --> 00:01:06,000\nა\n")
    assert len(srt) == 1 and srt[0].start == 60  # rolling duplicate dropped
    with pytest.raises(TranscriptFormatError):
        parse("not subtitles")
    with pytest.raises(TranscriptFormatError):
        parse(b"\xff\xfe")
    # More in test_transcripts.py.


class RecordingMockSequence(HttpMockSequence):
    """Google's response sequence, keeping the URIs the client asked for."""

    def __init__(self, iterable):
        super().__init__(iterable)
        self.uris: list[str] = []

    def request(self, uri, *args, **kwargs):
        self.uris.append(uri)
        return super().request(uri, *args, **kwargs)


def _service(http):
    from googleapiclient.discovery import build

    return build("youtube", "v3", developerKey="recorded", static_discovery=True,
                 cache_discovery=False, http=http)


def _json(body):
    return json.dumps(body)


def test_videos_list_by_id_sends_no_max_results():
    http = RecordingMockSequence([({"status": "200"}, _json(load_json("youtube/poti_videos.json")))])
    youtube.fetch_videos(_service(http), ["Pt7Kd2sQx9A", "Pt2Bn8rLw4c"])
    [uri] = http.uris
    query = parse_qs(urlsplit(uri).query)
    assert query["id"] == ["Pt7Kd2sQx9A,Pt2Bn8rLw4c"] and "maxResults" not in query


@pytest.mark.parametrize("status", ["500", "403"])
def test_quota_counts_the_calls_made_before_a_failure(status):
    """channels.list and playlistItems.list succeed, videos.list fails: all three were spent
    (the Data API charges every request, failed ones included)."""
    http = HttpMockSequence([
        ({"status": "200"}, _json(load_json("youtube/poti_channels.json"))),
        ({"status": "200"}, _json(load_json("youtube/poti_playlist_items.json"))),
        ({"status": status}, _json(load_json("youtube/quota_exceeded.json")))])
    meter = youtube.QuotaMeter()
    with pytest.raises(HttpError):
        list(youtube.iter_uploads(_service(http), "UCq8PotiSakrebulo2xKd7w", set(), meter=meter))
    assert meter.units == 3
