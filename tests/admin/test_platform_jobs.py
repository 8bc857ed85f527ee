"""Platform admins see job runs across municipalities and queue a failed one again."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.jobs import get_queue
from portal.jobs.models import JobRun
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import signed_in


def _run(app, tenant, name="send_outbox", state="failed", error="ValueError: ჩავარდა") -> int:
    with app.app_context():
        run = JobRun(task_id=f"t-{name}-{state}-{tenant.slug if tenant else 'platform'}", name=name,
                     tenant_id=tenant.id if tenant else None, state=state, attempts=3,
                     error=f"Traceback ...\n{error}" if state == "failed" else None)
        db.session.add(run)
        db.session.commit()
        return run.id


def test_platform_admin_lists_and_filters_runs(app, client, poti, abasha, staff):
    _run(app, poti)
    _run(app, abasha, name="poll_sms_status", state="succeeded")
    signed_in(client, staff(None, [], platform=True))
    page = client.get("/platform/jobs")
    assert page.status_code == 200
    assert "send_outbox" in page.text and "poll_sms_status" in page.text
    assert "ValueError: ჩავარდა" in page.text
    fragment = client.get("/platform/jobs?state=failed&tenant=abasha", headers=HTMX)
    assert "<html" not in fragment.text and "send_outbox" not in fragment.text
    assert client.get("/platform/jobs?state=bogus&tenant=nowhere").status_code == 422


def test_a_failed_run_is_queued_again_and_audited(app, client, poti, staff):
    run_id = _run(app, poti)
    done_id = _run(app, poti, name="poll_sms_status", state="succeeded")
    admin = staff(None, [], platform=True)
    signed_in(client, admin)
    token = csrf_token(client.get("/platform/jobs").text)
    queue = get_queue(app)
    queue.huey.flush()
    response = client.post(f"/platform/jobs/{run_id}/retry", data={"csrf_token": token})
    assert response.status_code == 303 and queue.huey.pending_count() == 1
    response = client.post(f"/platform/jobs/{done_id}/retry", data={"csrf_token": token})
    assert response.status_code == 409 and queue.huey.pending_count() == 1
    assert 'role="alert"' in response.text
    assert client.post("/platform/jobs/999999/retry", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.retry")).all()
        assert entry.actor_id == admin.id and str(run_id) in entry.target
    queue.huey.flush()


def test_municipality_admins_cannot_see_platform_jobs(client, poti, staff):
    signed_in(client, staff(poti, ["admin"]))
    assert client.get("/platform/jobs").status_code == 403
