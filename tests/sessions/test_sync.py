"""Sync: idempotent upserts, resumable runs, per-run accounting, isolation, matching, lives."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import httplib2
from sqlalchemy import func, select

from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import Body, CouncilSession, Recording, SyncRun
from portal.blueprints.sessions.recordings import recordings, review
from portal.blueprints.sessions.sources.recorded import (
    RecordedYoutubeDL,
    caption_fetch,
    graph_fetch,
    load_json,
    ok,
    public_resolver,
    youtube_service,
)
from portal.blueprints.sessions.sources.sync import Clients, sync_all, sync_tenant
from portal.blueprints.sessions.sources.synthetic import SyntheticChannel
from portal.blueprints.sessions.tasks import sync_sessions
from portal.extensions import db
from portal.tenancy import tenant_context
from portal.tenancy.registry import Sources


def with_sources(tenant, **sources):
    config = tenant.config.model_copy(update={"sources": Sources(**sources)})
    return dataclasses.replace(tenant, config=config)


def offline(**kwargs) -> Clients:
    return Clients(ytdlp_factory=RecordedYoutubeDL, caption_fetch=caption_fetch,
                   resolver=public_resolver, **kwargs)


def count(model, tenant) -> int:
    with tenant_context(tenant):
        return db.session.scalar(select(func.count(model.id)))


class FailingChannel(SyntheticChannel):
    """Fails on the n-th playlistItems call, as a crash or a network error mid-run would."""

    def __init__(self, count, fail_on: int):
        super().__init__(count)
        self.fail_on, self.pages = fail_on, 0

    def request(self, uri, *args, **kwargs):
        if "/playlistItems" in uri:
            self.pages += 1
            if self.pages == self.fail_on:
                return httplib2.Response({"status": "503"}), b'{"error": {"code": 503}}'
        return super().request(uri, *args, **kwargs)


def test_recorded_youtube_sync_matches_sessions_and_fetches_captions(poti):
    tenant = with_sources(poti, youtube_channel_id="UCq8PotiSakrebulo2xKd7w")
    with tenant_context(poti):
        body = Body(slug="sakrebulo", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        session = services.create_session(body, "საკრებულოს მე-14 სხდომა",
                                           datetime(2025, 3, 14, 8, tzinfo=UTC), status="held")
    service = youtube_service([ok(load_json("youtube/poti_channels.json")),
                               ok(load_json("youtube/poti_playlist_items.json")),
                               ok(load_json("youtube/poti_videos.json"))])
    [run] = sync_tenant(tenant, offline(youtube_service=service))
    assert (run.status, run.created, run.quota_units, run.cursor) == ("ok", 3, 3, None)
    with tenant_context(poti):
        matched = db.session.scalar(select(Recording).where(
            Recording.external_id == "Pt7Kd2sQx9A"))
        assert matched.session_id == session.id and matched.match_confidence >= 0.5
        assert matched.has_transcript and not matched.is_match_confirmed
        assert db.session.scalar(select(Recording).where(
            Recording.external_id == "Pt2Bn8rLw4c")).session_id is None
    assert count(Recording, tenant) == 3


def test_rerun_is_idempotent_and_costs_two_units(poti):
    tenant = with_sources(poti, youtube_channel_id="UC")
    channel = SyntheticChannel(120)
    first = sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    assert (first[0].created, first[0].quota_units) == (120, 7)
    again = sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    assert (again[0].created, again[0].updated, again[0].quota_units) == (0, 0, 2)
    assert count(Recording, poti) == 120


def test_crashed_run_resumes_from_its_cursor(poti):
    tenant = with_sources(poti, youtube_channel_id="UC")
    channel = FailingChannel(120, fail_on=2)
    [failed] = sync_tenant(tenant, offline(youtube_service=channel.service(),
                                           with_captions=False))
    assert failed.status == "failed" and "503" in failed.error and failed.cursor
    assert count(Recording, poti) == 50  # the first page was kept
    channel.calls.clear()
    [resumed] = sync_tenant(tenant, offline(youtube_service=channel.service(),
                                            with_captions=False))
    assert resumed.id == failed.id and resumed.status == "ok" and resumed.cursor is None
    assert "channels" not in channel.calls  # continued from the saved page token
    assert count(Recording, poti) == 120
    assert count(SyncRun, poti) == 1


def test_one_failing_municipality_does_not_stop_the_others(poti, abasha):
    abasha_fb = with_sources(abasha, facebook_page_id="abasha.sakrebulo")

    def factory(tenant):
        if tenant.slug == "poti":
            raise RuntimeError("broken credentials")
        return offline(facebook_token="TOKEN", facebook_fetch=graph_fetch({
            "/live_videos": "facebook/abasha_live_videos.json",
            "/videos": "facebook/abasha_videos.json"}))

    results = sync_all([poti, abasha_fb], factory)
    assert results["poti"].startswith("error") and results["abasha"] == "facebook:ok"
    assert count(Recording, abasha) == 2
    with tenant_context(abasha):
        rec = db.session.scalar(select(Recording).where(
            Recording.external_id == "1187234905563120"))
        assert rec.has_transcript  # Georgian SRT through yt-dlp


def test_live_recording_marks_its_session_live(poti):
    tenant = with_sources(poti, youtube_channel_id="UCq8PotiSakrebulo2xKd7w")
    with tenant_context(poti):
        body = Body(slug="sakrebulo", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        session = services.create_session(body, "საკრებულოს რიგგარეშე სხდომა",
                                           datetime(2025, 11, 20, 9, tzinfo=UTC))
    service = youtube_service([ok(load_json("youtube/poti_channels.json")),
                               ok(load_json("youtube/poti_playlist_items.json")),
                               ok(load_json("youtube/poti_videos.json"))])
    sync_tenant(tenant, offline(youtube_service=service))
    with tenant_context(poti):
        assert db.session.get(CouncilSession, session.id).status == "live"


def test_confirmed_match_is_kept_by_the_sync(poti):
    tenant = with_sources(poti, youtube_channel_id="UC")
    channel = SyntheticChannel(2)
    sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    with tenant_context(poti):
        body = Body(slug="b", name_ka="საკრებულო")
        db.session.add(body)
        db.session.flush()
        other = services.create_session(body, "სხვა", datetime(2021, 1, 1, tzinfo=UTC))
        rec = db.session.scalars(select(Recording)).first()
        recordings.confirm_match(rec, other)
        rec.title = "changed remotely"
        db.session.flush()
    sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    with tenant_context(poti):
        assert db.session.get(Recording, rec.id).session_id == other.id


def test_task_without_sources_does_nothing(poti):
    assert sync_sessions(poti.id) == "no source configured"
    assert sync_sessions(99999) == "no such municipality"


def test_pasted_facebook_url_is_imported_with_captions(abasha):
    from portal.blueprints.sessions.sources.sync import import_url

    url = "https://www.facebook.com/abasha.sakrebulo/videos/1187234905563120/"
    with tenant_context(abasha):
        recording = import_url(abasha, url, offline())
        assert recording.source == "facebook" and recording.has_transcript
        assert import_url(abasha, url, offline()).id == recording.id  # idempotent


def test_cli_sync_reports_each_municipality(runner, monkeypatch):
    from portal.blueprints.sessions.sources import sync

    monkeypatch.setattr(sync, "clients_for", lambda tenant: Clients())
    result = runner.invoke(args=["archive", "sync", "--tenant", "poti"])
    assert result.exit_code == 0 and "poti: nothing" in result.output
    assert runner.invoke(args=["archive", "sync", "--tenant", "nowhere"]).exit_code != 0


def test_clerk_sees_the_last_run_of_each_source(poti):
    tenant = with_sources(poti, youtube_channel_id="UC")
    channel = FailingChannel(60, fail_on=2)
    sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    with tenant_context(poti):
        status = review.sync_status()
    assert status["youtube"].status == "failed" and status["youtube"].created == 50


def test_a_run_still_going_is_left_alone_and_a_stale_one_resumed(poti):
    from datetime import timedelta

    from portal.blueprints.sessions.sources.sync import RUN_LEASE

    tenant = with_sources(poti, youtube_channel_id="UC")
    with tenant_context(poti):
        running = SyncRun(source="youtube", started_at=datetime.now(UTC), status="running",
                          cursor="PAGE2")
        db.session.add(running)
        db.session.flush()
    channel = SyntheticChannel(60)
    [same] = sync_tenant(tenant, offline(youtube_service=channel.service(), with_captions=False))
    assert same.id == running.id and same.status == "running"
    assert channel.calls == [] and count(Recording, poti) == 0  # no second sync beside it
    with tenant_context(poti):
        running.started_at = datetime.now(UTC) - RUN_LEASE - timedelta(minutes=1)
        running.cursor = None  # it crashed before its first page
        db.session.flush()
    [resumed] = sync_tenant(tenant, offline(youtube_service=channel.service(),
                                            with_captions=False))
    assert resumed.status == "ok" and count(Recording, poti) == 60
    assert running.status == "failed" and "interrupted" in running.error


def test_failed_run_counts_the_quota_it_spent(poti):
    """A 500 from videos.list after channels.list and playlistItems.list: the run's figure
    holds all three units, though no page was saved."""
    tenant = with_sources(poti, youtube_channel_id="UCq8PotiSakrebulo2xKd7w")
    service = youtube_service([ok(load_json("youtube/poti_channels.json")),
                               ok(load_json("youtube/poti_playlist_items.json")),
                               ({"status": "500"}, '{"error": {"code": 500}}')])
    [run] = sync_tenant(tenant, offline(youtube_service=service))
    assert (run.status, run.created, run.quota_units) == ("failed", 0, 3)


def test_run_failing_on_a_later_page_keeps_every_unit(poti):
    tenant = with_sources(poti, youtube_channel_id="UC")
    channel = FailingChannel(120, fail_on=2)
    [failed] = sync_tenant(tenant, offline(youtube_service=channel.service(),
                                           with_captions=False))
    # channels + page 1 + its videos, then the failed second page: four calls, four units.
    assert channel.calls == ["channels", "playlistItems", "videos"] and channel.pages == 2
    assert failed.status == "failed" and failed.quota_units == 4
