"""Where recordings come from: the platforms' clients (``youtube``, ``facebook``, ``ytdlp``:
inputs → the plain dataclasses below; no ORM, no app context), the sync that upserts what they
list (``sync``), subtitles (``transcripts``, ``webvtt``) and the offline stand-ins for tests,
the demo and benchmarks (``recorded``, ``synthetic``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class RemoteVideo:
    source: str
    external_id: str
    url: str
    title: str = ""
    description: str = ""
    published_at: datetime | None = None
    duration_seconds: int | None = None
    thumbnail_url: str = ""
    #: "none", "upcoming", "live" or "was_live".
    live_status: str = "none"
    chapters: list[dict] = field(default_factory=list)


@dataclass
class Listing:
    """One run's worth of videos from a source, what it cost and where to resume."""

    videos: list[RemoteVideo] = field(default_factory=list)
    quota_units: int = 0
    #: Set while more pages remain; saved in the sync run so a crashed run can resume.
    cursor: str | None = None
    complete: bool = True
