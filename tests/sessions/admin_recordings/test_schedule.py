"""The archive sync on the job queue: registered, scheduled every 10 minutes for every active
municipality, and one failing municipality does not stop the others."""

from __future__ import annotations

from datetime import datetime

import pytest
from huey import SqliteHuey
from sqlalchemy import func, select

from portal.blueprints.sessions.models import Recording, SyncRun
from portal.blueprints.sessions.sources.recorded import RecordedYoutubeDL, caption_fetch, graph_fetch, public_resolver
from portal.blueprints.sessions.sources.sync import Clients
from portal.extensions import db
from portal.jobs import REGISTRY, JobQueue, build_queue
from portal.jobs.models import JobRun
from portal.jobs.schedule import _fan_out, full_schedule
from portal.tenancy import tenant_context


@pytest.fixture
def queue(app, tmp_path):
    huey = SqliteHuey("archive-schedule-test", filename=str(tmp_path / "jobs.sqlite3"),
                      results=False)
    return build_queue(app, huey)


def test_sync_sessions_is_a_job_scheduled_every_ten_minutes(app):
    assert REGISTRY["sync_sessions"].per_tenant
    [entry] = [e for e in full_schedule(app) if e.job == "sync_sessions"]
    assert entry.per_tenant
    minutes = [m for m in range(60) if entry.when(datetime(2025, 3, 14, 8, m))]
    assert minutes == [0, 10, 20, 30, 40, 50]
    assert all(entry.when(datetime(2025, 3, 14, h, 0)) for h in range(24))


def test_the_schedule_fans_out_to_every_active_municipality(queue, poti, abasha):
    [fan_out] = [t for t in queue.huey._registry._periodic_tasks
                 if t.__name__ == "periodic.sync_sessions"]
    assert fan_out().validate_datetime(datetime(2025, 3, 14, 8, 30))
    assert not fan_out().validate_datetime(datetime(2025, 3, 14, 8, 35))
    fan_out().execute()
    pending = queue.huey.pending()
    assert {t.name for t in pending} == {"sync_sessions"}
    assert sorted(t.args[0] for t in pending) == sorted([poti.id, abasha.id])


def test_a_queue_error_for_one_municipality_does_not_stop_the_others(app, queue, poti, abasha):
    class FlakyQueue(JobQueue):
        def enqueue(self, name, tenant_id, delay=None, **kwargs):
            if tenant_id == poti.id:
                raise ConnectionError("queue unreachable for a moment")
            return super().enqueue(name, tenant_id, delay, **kwargs)

    flaky = FlakyQueue(queue.huey, queue.tasks)
    [entry] = [e for e in full_schedule(app) if e.job == "sync_sessions"]
    _fan_out(app, flaky, entry)()
    assert [t.args[0] for t in queue.huey.pending()] == [abasha.id]


def test_a_failing_municipality_does_not_stop_the_others(app, queue, poti, abasha, monkeypatch):
    """Abasha's job fails (its credentials are broken); Poti's, run after it, still syncs."""
    def clients(tenant):
        if tenant.slug == "abasha":
            raise RuntimeError("broken credentials")
        return Clients(facebook_token="TOKEN", ytdlp_factory=RecordedYoutubeDL,
                       caption_fetch=caption_fetch, resolver=public_resolver,
                       facebook_fetch=graph_fetch({"/live_videos": "facebook/abasha_live_videos.json",
                                                   "/videos": "facebook/abasha_videos.json"}))

    monkeypatch.setitem(app.config, "ARCHIVE_CLIENTS", clients)
    [fan_out] = [t for t in queue.huey._registry._periodic_tasks
                 if t.__name__ == "periodic.sync_sessions"]
    fan_out().execute()
    tasks = sorted(queue.huey.pending(), key=lambda t: t.args[0] != abasha.id)  # Abasha first
    for task in tasks:
        queue.huey.dequeue()
        queue.huey.execute(task)
    with app.app_context():
        runs = {r.tenant_id: r for r in db.session.scalars(
            select(JobRun).where(JobRun.name == "sync_sessions"))}
        assert runs[abasha.id].state == "failed" and "broken credentials" in runs[abasha.id].error
        assert runs[poti.id].state == "succeeded"
        with tenant_context(poti):
            assert db.session.scalar(select(func.count(Recording.id))) == 2
            [run] = db.session.scalars(select(SyncRun)).all()
            assert (run.source, run.status, run.created) == ("facebook", "ok", 2)
        with tenant_context(abasha):
            assert db.session.scalar(select(func.count(Recording.id))) == 0
