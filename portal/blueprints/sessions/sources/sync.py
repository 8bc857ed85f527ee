"""Reconcile remote videos with the archive: upsert by (tenant, source, external id).

Idempotent (a rerun with nothing new changes nothing), resumable (the run row keeps the next
page's cursor and progress is committed page by page through ``checkpoint``; a run that
crashed or failed is continued from its cursor), and accountable (status, counts, quota units
and the error of every run are stored for the clerk). ``sync_all`` isolates municipalities:
one failing does not stop the others.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions.models import CouncilSession, Recording, SyncRun
from portal.blueprints.sessions.recordings import matching, recordings
from portal.blueprints.sessions.sources import RemoteVideo, facebook, youtube, ytdlp
from portal.extensions import db
from portal.tenancy import TenantInfo, tenant_context

log = logging.getLogger(__name__)
FIELDS = ("url", "title", "description", "published_at", "duration_seconds", "thumbnail_url",
          "live_status", "chapters")


@dataclass
class Clients:
    """What a sync talks to; tests pass recorded stand-ins, production builds the real ones."""

    youtube_service: object | None = None
    facebook_token: str | None = None
    facebook_fetch: Callable[[str], dict] = facebook.guarded_json
    ytdlp_factory: Callable | None = None
    caption_fetch: Callable[[str], bytes] | None = None
    #: (page URL, scratch folder) → a 16 kHz mono WAV of the recording's audio, for
    #: speech-to-text; None: yt-dlp and ffmpeg (``speech/audio.py``).
    audio_fetch: Callable | None = None
    with_captions: bool = True
    #: DNS for the guard's checks (tests and the demo answer without the network).
    resolver: Callable | None = None
    extra: dict = field(default_factory=dict)


YOUTUBE_KEY_ENV = "YOUTUBE_API_KEY"


def facebook_token_env(tenant: TenantInfo) -> str:
    """The environment variable holding this municipality's Facebook Page token."""
    return f"FACEBOOK_PAGE_TOKEN_{tenant.slug.upper()}"


def clients_for(tenant: TenantInfo) -> Clients:
    """Real clients from the environment: ``YOUTUBE_API_KEY`` and, per municipality,
    ``FACEBOOK_PAGE_TOKEN_<SLUG>`` (the Page token its admin provides)."""
    key = os.environ.get(YOUTUBE_KEY_ENV)
    service = youtube.build_service(key) if key and tenant.config.sources.youtube_channel_id \
        else None
    token = os.environ.get(facebook_token_env(tenant))
    return Clients(youtube_service=service, facebook_token=token)


def configured_clients(tenant: TenantInfo) -> Clients:
    """The clients the job and the admin use: ``clients_for``, unless the app's config names
    another factory in ``ARCHIVE_CLIENTS`` (the tests' recorded stand-ins; never the network)."""
    from flask import current_app

    factory = current_app.config.get("ARCHIVE_CLIENTS") or clients_for
    return factory(tenant)


def sync_tenant(tenant: TenantInfo, clients: Clients,
                checkpoint: Callable[[], None] | None = None) -> list[SyncRun]:
    """Sync every configured source of ``tenant``; return the runs (ok or failed)."""
    checkpoint = checkpoint or db.session.flush
    sources = tenant.config.sources
    runs = []
    with tenant_context(tenant):
        if sources.youtube_channel_id and clients.youtube_service is not None:
            runs.append(_run(tenant, "youtube", clients, checkpoint,
                             lambda run, rec: _sync_youtube(run, rec, sources.youtube_channel_id,
                                                            clients)))
        if sources.facebook_page_id and clients.facebook_token:
            runs.append(_run(tenant, "facebook", clients, checkpoint,
                             lambda run, rec: _sync_facebook(run, rec, sources.facebook_page_id,
                                                             clients)))
    return runs


def sync_all(tenants: list[TenantInfo], clients_factory=None,
             checkpoint: Callable[[], None] | None = None) -> dict[str, str]:
    """Sync each municipality in turn; an error in one is logged and the next one runs."""
    clients_factory = clients_factory or clients_for
    results = {}
    for tenant in tenants:
        try:
            runs = sync_tenant(tenant, clients_factory(tenant), checkpoint)
            results[tenant.slug] = ", ".join(f"{r.source}:{r.status}" for r in runs) or "nothing"
        except Exception as exc:  # noqa: BLE001 - isolate municipalities from each other
            db.session.rollback()
            log.exception("archive sync failed for %s", tenant.slug)
            results[tenant.slug] = f"error: {exc}"
    return results


#: A run marked "running" that (re)started less than this long ago is taken to be alive: the
#: next scheduled run leaves it alone instead of syncing the same source beside it. A run
#: that crashed is resumed from its cursor once this has passed.
RUN_LEASE = timedelta(minutes=30)


def _run(tenant, source, clients, checkpoint, body) -> SyncRun:
    alive = db.session.scalar(
        select(SyncRun).where(SyncRun.source == source, SyncRun.status == "running",
                              SyncRun.started_at > datetime.now(UTC) - RUN_LEASE)
        .order_by(SyncRun.id.desc()).limit(1))
    if alive is not None:
        log.info("sync %s/%s is still running (run %s); skipped", tenant.slug, source, alive.id)
        return alive
    run = db.session.scalar(
        select(SyncRun).where(SyncRun.source == source, SyncRun.cursor.is_not(None),
                              SyncRun.status.in_(("running", "failed")))
        .order_by(SyncRun.id.desc()).limit(1))
    if run is None:
        _close_interrupted(source)
        run = SyncRun(source=source, started_at=datetime.now(UTC))
        db.session.add(run)
    run.status, run.error, run.finished_at = "running", "", None
    run.started_at = datetime.now(UTC)  # (re)started: the lease counts from here
    db.session.flush()
    run_id = run.id
    checkpoint()
    reconciler = Reconciler(tenant, clients, checkpoint)
    try:
        body(run, reconciler)
    except Exception as exc:  # noqa: BLE001 - the run records any failure of its source
        log.warning("sync %s/%s failed: %s", tenant.slug, source, exc)
        run = db.session.get(SyncRun, run_id)
        run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    else:
        run.status, run.cursor = "ok", None
    run.finished_at = datetime.now(UTC)
    db.session.flush()
    checkpoint()
    return run


def _close_interrupted(source: str) -> None:
    """A run left "running" with nothing to resume from died before its first page."""
    for stale in db.session.scalars(select(SyncRun).where(
            SyncRun.source == source, SyncRun.status == "running", SyncRun.cursor.is_(None))):
        stale.status, stale.error = "failed", "interrupted before its first page"
        stale.finished_at = datetime.now(UTC)


def _sync_youtube(run: SyncRun, rec: Reconciler, channel_id: str, clients: Clients) -> None:
    service, meter = clients.youtube_service, youtube.QuotaMeter()
    spent_before = run.quota_units  # a resumed run keeps counting
    try:
        watched = rec.ids_with_status(("live", "upcoming"))
        if watched and not run.cursor:
            videos, _ = youtube.fetch_videos(service, watched, meter)
            rec.page(run, videos, run.cursor, meter.take())
        for page in youtube.iter_uploads(service, channel_id, rec.known_ids(), run.cursor,
                                         meter):
            rec.page(run, page.videos, page.next_cursor, page.quota_units)
    except Exception:
        # Every call sent counts, the failing one included, even if its page was not saved.
        run.quota_units = spent_before + meter.units
        raise


def _sync_facebook(run: SyncRun, rec: Reconciler, page_id: str, clients: Clients) -> None:
    token, fetch_json = clients.facebook_token, clients.facebook_fetch
    if not run.cursor:
        lives = facebook.live_videos(page_id, token, fetch_json)
        rec.end_lives_not_in("facebook", {v.external_id for v in lives})
        rec.page(run, lives, run.cursor)
    for page in facebook.iter_page_videos(page_id, token, rec.known_ids(), run.cursor,
                                          fetch_json):
        rec.page(run, page.videos, page.next_cursor)


class Reconciler:
    """Upserts remote videos of one source into recordings, matches them, fetches captions."""

    def __init__(self, tenant: TenantInfo, clients: Clients,
                 checkpoint: Callable[[], None] | None = None):
        self.tenant, self.clients = tenant, clients
        self.zone = ZoneInfo(tenant.config.timezone)
        self.checkpoint = checkpoint or (lambda: db.session.flush())
        self._by_key: dict[tuple[str, str], Recording] = {
            (r.source, r.external_id): r for r in db.session.scalars(select(Recording))}

    def known_ids(self) -> set[str]:
        return {external_id for _, external_id in self._by_key}

    def ids_with_status(self, statuses) -> list[str]:
        return [r.external_id for r in self._by_key.values()
                if r.source == "youtube" and r.live_status in statuses]

    def end_lives_not_in(self, source: str, live_ids: set[str]) -> None:
        for recording in self._by_key.values():
            if recording.source == source and recording.live_status == "live" \
                    and recording.external_id not in live_ids:
                recording.live_status = "was_live"

    def page(self, run: SyncRun, videos: list[RemoteVideo], cursor: str | None,
             quota_units: int = 0) -> None:
        """Apply one page atomically (a savepoint), move the cursor, then checkpoint."""
        with db.session.begin_nested():
            run.quota_units += quota_units
            self.apply(run, videos)
            run.cursor = cursor
        self.checkpoint()

    def apply(self, run: SyncRun, videos: list[RemoteVideo]) -> None:
        for video in videos:
            run.seen += 1
            created = self.upsert(video)
            if created:
                run.created += 1
            elif created is False:
                run.updated += 1
        db.session.flush()

    def upsert(self, video: RemoteVideo) -> bool | None:
        """True if created, False if changed, None if unchanged."""
        recording = self._by_key.get((video.source, video.external_id))
        created = recording is None
        if created:
            recording = Recording(source=video.source, external_id=video.external_id)
            db.session.add(recording)
            self._by_key[(video.source, video.external_id)] = recording
        changed = created
        for name in FIELDS:
            value = getattr(video, name)
            if name == "published_at" and value is not None and getattr(recording, name):
                same = getattr(recording, name).replace(tzinfo=UTC) == value.astimezone(UTC)
                if same:
                    continue
            if getattr(recording, name) != value:
                setattr(recording, name, value)
                changed = True
        if changed:
            db.session.flush()
            self.match(recording)
            self.follow_live(recording)
            if created and self.clients.with_captions and video.live_status != "live":
                self.captions(recording)
        return True if created else (False if changed else None)

    def match(self, recording: Recording) -> None:
        if recording.is_match_confirmed or recording.published_at is None:
            return
        around = recording.published_at
        candidates = db.session.scalars(
            select(CouncilSession).options(selectinload(CouncilSession.body))
            .where(CouncilSession.starts_at.between(around - timedelta(days=3),
                                                    around + timedelta(days=3)))).all()
        session, confidence = matching.best_match(recording.title, recording.published_at,
                                                  candidates, self.zone)
        recording.session_id = session.id if session else None
        recording.match_confidence = confidence

    def follow_live(self, recording: Recording) -> None:
        if recording.session_id is None:
            return
        session = db.session.get(CouncilSession, recording.session_id)
        if recording.live_status == "live" and session.status == "scheduled":
            session.status = "live"
        elif recording.live_status == "was_live" and session.status == "live":
            session.status = "held"

    def captions(self, recording: Recording) -> None:
        """Captions through yt-dlp; a missing or broken track leaves the recording as it is."""
        try:
            info = ytdlp.extract_info(recording.url, self.clients.ytdlp_factory,
                                     self.clients.resolver)
            fetcher = self.clients.caption_fetch or ytdlp.fetch
            found = ytdlp.fetch_captions(info, fetcher)
        except Exception as exc:  # noqa: BLE001 - captions are optional for a recording
            log.info("no captions for %s: %s", recording.url, exc)
            return
        if found:
            recordings.replace_transcript(recording, found.cues, language=found.language,
                                          origin=found.origin)


def import_url(tenant: TenantInfo, url: str, clients: Clients) -> Recording:
    """A video URL pasted by staff (a Facebook video yt-dlp can read, or YouTube)."""
    info = ytdlp.extract_info(url, clients.ytdlp_factory, clients.resolver)
    video = ytdlp.video_from_info(info)
    reconciler = Reconciler(tenant, clients)
    reconciler.upsert(video)
    db.session.flush()
    return reconciler._by_key[(video.source, video.external_id)]
