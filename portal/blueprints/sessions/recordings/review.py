"""The clerk's review of what the sync found: the match review list and the sessions to choose
from, transcript pages, the sync's history and sources, pasted video URLs, dashboard counts.

Read-side queries (each list in a constant number of statements) and the few verbs the admin
needs beyond ``services`` and ``recordings``; like those, they flush but never commit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.council.services import ArchiveError
from portal.blueprints.sessions.models import CouncilSession, Recording, SyncRun, TranscriptSegment
from portal.blueprints.sessions.sources import sync
from portal.extensions import db
from portal.services.outbound import FetchRefused, host_allowed
from portal.tenancy import TenantInfo
from portal.web.inputs import parse_int
from portal.web.pagination import Page, paginate

PER_PAGE = 20
SEGMENTS_PER_PAGE = 100
#: Sessions this many days either side of a recording's date are offered in its select.
NEARBY_DAYS = 14
HISTORY = 20
MAX_FOUND = 10
#: Pages a clerk may paste: video pages only (the API hosts of the allow-list are not videos).
VIDEO_HOSTS = frozenset({"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be",
                         "www.facebook.com", "facebook.com", "m.facebook.com",
                         "web.facebook.com", "fb.watch"})


class ImportRefused(ArchiveError):
    """A pasted address cannot be imported; the message says why, in the clerk's language."""

    def __init__(self, message, field: str | None = "url"):
        super().__init__(message, field)


def recordings_page(page: int, show_all: bool = False) -> Page:
    """One page of the review list, newest first: the recordings whose match is not confirmed
    (as ``recordings.unconfirmed_matches``), or every recording; with session and body loaded."""
    stmt = (select(Recording)
            .options(selectinload(Recording.session).selectinload(CouncilSession.body))
            .order_by(Recording.published_at.desc().nulls_last(), Recording.id.desc()))
    if not show_all:
        stmt = stmt.where(Recording.is_match_confirmed.is_(False))
    return paginate(stmt, page, PER_PAGE, count=False)


def count_unconfirmed() -> int:
    return db.session.scalar(
        select(func.count(Recording.id)).where(Recording.is_match_confirmed.is_(False)))


def nearby_sessions(recordings: list[Recording]) -> dict[int, list[CouncilSession]]:
    """For each recording, the sessions within ``NEARBY_DAYS`` of its date (and the one it is
    matched to), closest first; the suggested session's body before the others. One query."""
    windows = [_window(r) for r in recordings if r.published_at is not None]
    current = {r.session_id for r in recordings if r.session_id}
    conditions = [CouncilSession.starts_at.between(low, high) for low, high in windows]
    if current:
        conditions.append(CouncilSession.id.in_(current))
    if not conditions:
        return {r.id: [] for r in recordings}
    sessions = list(db.session.scalars(
        select(CouncilSession).options(selectinload(CouncilSession.body))
        .where(or_(*conditions)).order_by(CouncilSession.starts_at)))
    result = {}
    for rec in recordings:
        chosen = [s for s in sessions if s.id == rec.session_id or _near(rec, s)]
        suggested_body = rec.session.body_id if rec.session_id and rec.session else None

        def order(s, rec=rec, body=suggested_body):
            distance = abs(_utc(s.starts_at) - _utc(rec.published_at)) if rec.published_at \
                else timedelta(0)
            return (s.id != rec.session_id, s.body_id != body, distance)

        result[rec.id] = sorted(chosen, key=order)
    return result


def _window(recording: Recording):
    around = _utc(recording.published_at)
    return around - timedelta(days=NEARBY_DAYS), around + timedelta(days=NEARBY_DAYS)


def _utc(value):
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _near(recording: Recording, session: CouncilSession) -> bool:
    if recording.published_at is None:
        return False
    return abs(_utc(session.starts_at) - _utc(recording.published_at)) <= timedelta(
        days=NEARBY_DAYS)


def find_sessions(text: str) -> list[CouncilSession]:
    """Sessions named by a number (``12`` or ``#12``) or by words of their title (all of them),
    newest first, at most ``MAX_FOUND + 1`` (so the caller can tell "too many")."""
    text = (text or "").strip()
    stmt = select(CouncilSession).options(selectinload(CouncilSession.body))
    number = text.lstrip("#")
    if number.isdigit():  # any digits: a number too large for an id names no session
        ident = parse_int(number, minimum=1)
        if ident is None:
            return []
        stmt = stmt.where(CouncilSession.id == ident)
    else:
        words = [w for w in text.split() if w][:6]
        if not words:
            return []
        for word in words:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(CouncilSession.title.ilike(pattern, escape="\\"))
    return list(db.session.scalars(
        stmt.order_by(CouncilSession.starts_at.desc()).limit(MAX_FOUND + 1)))


def session_or_none(session_id: int) -> CouncilSession | None:
    # A SELECT, not session.get(): an identity-map hit would skip the tenant scoping.
    return db.session.scalar(select(CouncilSession).where(CouncilSession.id == session_id))


def recording_or_none(recording_id: int) -> Recording | None:
    return db.session.scalar(
        select(Recording).where(Recording.id == recording_id)
        .options(selectinload(Recording.session).selectinload(CouncilSession.body)))


def segment_or_none(recording_id: int, segment_id: int) -> TranscriptSegment | None:
    """A line of this recording's transcript (a line of another recording is not found)."""
    return db.session.scalar(select(TranscriptSegment).where(
        TranscriptSegment.id == segment_id, TranscriptSegment.recording_id == recording_id))


def _segment_order():
    return TranscriptSegment.start_seconds, TranscriptSegment.id


def segments_page(recording: Recording, page: int) -> Page:
    """A page of the transcript's lines in time order (``count_segments`` says how many)."""
    return paginate(select(TranscriptSegment).where(TranscriptSegment.recording_id == recording.id)
                    .order_by(*_segment_order()), page, SEGMENTS_PER_PAGE, count=False)


def count_segments(recording: Recording) -> int:
    return db.session.scalar(select(func.count(TranscriptSegment.id))
                             .where(TranscriptSegment.recording_id == recording.id))


def page_of_segment(segment: TranscriptSegment) -> int:
    """The transcript page (of ``segments_page``) that shows ``segment``."""
    before = db.session.scalar(select(func.count(TranscriptSegment.id)).where(
        TranscriptSegment.recording_id == segment.recording_id,
        or_(TranscriptSegment.start_seconds < segment.start_seconds,
            (TranscriptSegment.start_seconds == segment.start_seconds)
            & (TranscriptSegment.id < segment.id))))
    return before // SEGMENTS_PER_PAGE + 1


def sync_status() -> dict[str, SyncRun]:
    """The clerk's view of the sync: the latest run of each source (status, counts, quota,
    error, whether it will resume)."""
    latest: dict[str, SyncRun] = {}
    for run in db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(50)):
        latest.setdefault(run.source, run)
    return latest


def recent_runs(limit: int = HISTORY) -> list[SyncRun]:
    return list(db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)))


def failed_sources(latest: dict[str, SyncRun]) -> list[str]:
    """Sources whose latest run failed (from ``sync_status()``)."""
    return sorted(source for source, run in latest.items() if run.status == "failed")


def will_resume(run: SyncRun) -> bool:
    """A run that stopped part-way (crashed while running, or failed) and kept its cursor."""
    return run.status in ("running", "failed") and bool(run.cursor)


@dataclass(frozen=True)
class SourceSettings:
    source: str
    #: The YouTube channel id or Facebook Page id from tenant.toml, or "" when not set.
    account: str
    #: Whether the credential is in the environment (its value is never shown).
    has_credential: bool

    @property
    def active(self) -> bool:
        return bool(self.account) and self.has_credential


def source_settings(tenant: TenantInfo) -> list[SourceSettings]:
    """What this municipality syncs from, as ``sync.clients_for`` will see it."""
    sources = tenant.config.sources
    return [
        SourceSettings("youtube", sources.youtube_channel_id or "",
                       bool(os.environ.get(sync.YOUTUBE_KEY_ENV))),
        SourceSettings("facebook", sources.facebook_page_id or "",
                       bool(os.environ.get(sync.facebook_token_env(tenant)))),
    ]


_SECRET_PARAMS = re.compile(r"(access_token|key|token)=[^&\s\"']+", re.IGNORECASE)


def redact(text: str, tenant: TenantInfo) -> str:
    """An error text safe to show: credentials (query parameters, the token itself) removed."""
    text = _SECRET_PARAMS.sub(r"\1=…", text or "")
    for name in (sync.YOUTUBE_KEY_ENV, sync.facebook_token_env(tenant)):
        secret = os.environ.get(name)
        if secret and len(secret) >= 8:
            text = text.replace(secret, "…")
    return text


def _is_video_page(host: str, path: str, query: str) -> bool:
    """A single video's page (not a channel, playlist, profile or search)."""
    if host in ("youtu.be", "fb.watch"):
        return bool(path.strip("/"))
    if host.endswith("youtube.com"):
        if path == "/watch":
            return "v=" in query
        return bool(re.match(r"^/(live|shorts|embed)/[\w-]+", path))
    if path.rstrip("/") == "/watch":
        return "v=" in query
    return bool(re.search(r"/videos/\w|^/reel/\w|/live_videos/\w", path))


def import_video(tenant: TenantInfo, url: str, clients: sync.Clients) -> tuple[Recording, bool]:
    """Import one pasted YouTube or Facebook video (``sync.import_url``); return it and whether
    it is new. Raises ``ImportRefused`` with a message for the clerk; nothing changes then."""
    url = (url or "").strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".") if parts.scheme else ""
    if parts.scheme not in ("http", "https") or not host:
        raise ImportRefused(_l("Paste the video's full address, starting with https://."))
    if host not in VIDEO_HOSTS or not host_allowed(host):
        raise ImportRefused(_l("Only YouTube and Facebook video addresses can be imported."))
    if parts.scheme != "https":
        raise ImportRefused(_l("Use the video's secure address (https://)."))
    if not _is_video_page(host, parts.path, parts.query):
        raise ImportRefused(_l("This is not the address of a single video. Open the video and "
                               "copy the address from there."))
    before = db.session.scalar(select(func.count(Recording.id)))
    try:
        with db.session.begin_nested():
            recording = sync.import_url(tenant, url, clients)
    except FetchRefused as exc:
        if "non-public" in str(exc):
            raise ImportRefused(_l("This address leads to a private or local network and "
                                   "cannot be imported.")) from exc
        raise ImportRefused(_l("The video's site could not be reached. Try again later.")) from exc
    except Exception as exc:  # noqa: BLE001 - yt-dlp raises many kinds; none may become a 500
        raise ImportRefused(_l("No video could be read at this address. Check that it is a "
                               "public YouTube or Facebook video.")) from exc
    created = db.session.scalar(select(func.count(Recording.id))) > before
    return recording, created
