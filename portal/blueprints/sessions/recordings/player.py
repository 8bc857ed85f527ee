"""Embeddable players and "play from here" links for a recording (CSP frame-src allows both)."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def embed_url(recording, start: int | None = None) -> str:
    start = max(0, int(start or 0))
    if recording.source == "youtube":
        query = {"rel": 0}
        if start:
            query["start"] = start
        return (f"https://www.youtube-nocookie.com/embed/{quote(recording.external_id)}?"
                + urlencode(query))
    if recording.source == "facebook":
        query = {"href": recording.url, "show_text": "false"}
        if start:
            query["t"] = start
        return "https://www.facebook.com/plugins/video.php?" + urlencode(query)
    return ""


def clock(seconds: float | None) -> str:
    """1:02:03 or 2:03 — how players show a position."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
