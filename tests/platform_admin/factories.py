"""The platform admin's things for the URL-map walks (see tests/factories.py): job runs and
municipalities, and a valid form for each POST route under /platform/."""

from __future__ import annotations

import itertools

from tests.factories import factory, submission

_numbers = itertools.count(1)


@factory("platform_admin", "job_run_id")
def _failed_job_run(objects):
    from portal.extensions import db
    from portal.jobs.models import JobRun

    with objects.app.app_context():
        run = JobRun(task_id=f"walk-{objects.tenant.slug}-{next(_numbers)}", name="purge_job_runs",
                     tenant_id=objects.tenant.id, state="failed")
        db.session.add(run)
        db.session.commit()
        return run.id


@factory("platform_admin", "tenant_slug")
def _tenant_slug(objects):
    return objects.tenant.slug


@submission("platform_admin.retry_job")
def _nothing_more(objects, client):
    return {}


@submission("platform_admin.add_tenant")
def _add_tenant(objects, client):
    return {"slug": "khobi", "name_ka": "ხობი"}


@submission("platform_admin.appoint")
def _appoint(objects, client):
    return {"email": "boss@example.org"}
