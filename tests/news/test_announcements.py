"""News scheduled for later is announced to its body's subscribers when its time comes, by
the periodic ``announce_scheduled_news``: once per item (also with two workers at once), not
before its time, not when it went back to draft or was moved later, and not again for an
item an editor published at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from portal.blueprints.news.models import NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.jobs import REGISTRY
from portal.jobs.runner import run_job
from portal.tenancy import tenant_context
from tests.news.conftest import BASE, post
from tests.news.factories import make_item


def _notices(app, tenant) -> list[tuple[str, str]]:
    from portal.blueprints.subscriptions.models import Notice

    with app.app_context(), tenant_context(tenant):
        return [(n.topic, n.item_key) for n in db.session.scalars(
            select(Notice).order_by(Notice.id))]


def _announce(app, tenant, now=None) -> int:
    from portal.blueprints.news.topics import announce_due

    with app.app_context(), tenant_context(tenant):
        told = announce_due(now)
        db.session.commit()
        return told


def _run(app, tenant, task_id: str = "t-news") -> str:
    import portal.blueprints.news.tasks  # noqa: F401 - registers the job

    return run_job(app, REGISTRY["announce_scheduled_news"], tenant.id, {}, task_id=task_id)


def _scheduled(app, tenant, *, minutes=30, **values) -> int:
    return make_item(app, tenant, publish_at=utcnow() + timedelta(minutes=minutes), **values)


def test_a_scheduled_item_is_announced_once_when_its_time_comes(app, poti, abasha):
    item_id = _scheduled(app, poti, body_kind="sakrebulo")
    assert _announce(app, poti) == 0  # not yet
    later = utcnow() + timedelta(minutes=31)
    assert _announce(app, abasha, later) == 0  # Abasha has nothing of Poti's
    assert _announce(app, poti, later) == 1
    assert _announce(app, poti, later + timedelta(minutes=1)) == 0
    assert _notices(app, poti) == [("news.sakrebulo", f"news.sakrebulo:news:{item_id}")]
    assert _notices(app, abasha) == []


def test_items_back_to_draft_or_moved_later_are_not_announced(app, poti):
    drafted = _scheduled(app, poti, title="გადაიდო")
    moved = _scheduled(app, poti, title="გადაიწია")
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.news import services

        services.unpublish(db.session.get(NewsItem, drafted))
        db.session.get(NewsItem, moved).publish_at = utcnow() + timedelta(days=3)
        db.session.commit()
    assert _announce(app, poti, utcnow() + timedelta(hours=1)) == 0
    assert _notices(app, poti) == []
    assert _announce(app, poti, utcnow() + timedelta(days=3, minutes=1)) == 1


def test_the_periodic_job_announces_due_items(app, poti):
    item_id = make_item(app, poti, publish_at=utcnow() - timedelta(seconds=5))
    assert _run(app, poti) == "1 items announced"
    assert _run(app, poti) == "0 items announced"
    assert [key for _t, key in _notices(app, poti)] == [f"news.city_hall:news:{item_id}"]


def test_published_at_once_is_announced_by_the_editor_and_never_again(app, editor, poti):
    post(editor, f"{BASE}/new", {"title": "ახალი ამბავი", "body": "ტექსტი", "action": "publish",
                                 "body_kind": "city_hall", "title_en": "", "summary": "",
                                 "summary_en": "", "body_en": "", "category_id": "",
                                 "image_alt": "", "image_alt_en": "", "publish_at": ""})
    assert len(_notices(app, poti)) == 1
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(NewsItem.announced_at)) is not None
    assert _announce(app, poti, utcnow() + timedelta(minutes=5)) == 0
    assert len(_notices(app, poti)) == 1


def test_scheduled_through_the_editor_then_announced(app, editor, poti):
    from zoneinfo import ZoneInfo

    # The form takes the municipality's wall-clock time.
    later = (datetime.now(ZoneInfo("Asia/Tbilisi")) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    post(editor, f"{BASE}/new", {"title": "დაგეგმილი", "body": "ტექსტი", "action": "publish",
                                 "body_kind": "city_hall", "title_en": "", "summary": "",
                                 "summary_en": "", "body_en": "", "category_id": "",
                                 "image_alt": "", "image_alt_en": "", "publish_at": later})
    assert _notices(app, poti) == []
    assert _announce(app, poti, utcnow() + timedelta(hours=1)) == 0
    assert _announce(app, poti, utcnow() + timedelta(hours=3)) == 1


@pytest.mark.no_db_rollback
def test_two_workers_at_once_announce_each_item_once(app, poti):
    """Real commits on the test database, two threads running the job at the same moment."""
    from portal.blueprints.subscriptions.models import Notice
    from portal.jobs.models import JobRun

    ids = [make_item(app, poti, title=f"ორი მუშა {n}",
                     publish_at=utcnow() - timedelta(seconds=1)) for n in range(6)]
    results, start = [], threading.Barrier(2)

    def worker(n):
        start.wait()
        results.append(_run(app, poti, f"t-news-two-{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        keys = [key for _t, key in _notices(app, poti)]
        assert sorted(keys) == sorted(f"news.city_hall:news:{i}" for i in ids)
        assert len(results) == 2 and sum(int(r.split()[0]) for r in results) == 6
    finally:
        with app.app_context(), tenant_context(poti):
            db.session.execute(delete(Notice).where(Notice.item_key.in_(
                [f"news.city_hall:news:{i}" for i in ids])))
            db.session.execute(delete(NewsItem).where(NewsItem.id.in_(ids)))
            db.session.execute(delete(JobRun).where(JobRun.task_id.startswith("t-news-two-")))
            db.session.commit()
