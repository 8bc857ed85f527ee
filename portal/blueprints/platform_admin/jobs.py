"""Background jobs across municipalities, for platform admins: recent runs, failures with
their error, and queueing a failed run again (what ``flask jobs`` does, in the browser)."""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal.blueprints.platform_admin import bp
from portal.blueprints.platform_admin.forms import JOB_STATE_LABELS, JobFilterForm
from portal.extensions import db
from portal.jobs import operations
from portal.jobs.models import JobRun
from portal.services import audit
from portal.tenancy import get_directory
from portal.web.forms import ConfirmForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import saved

PAGE_SIZE = 50


@bp.get("/jobs")
@requires("platform.manage")
def jobs():
    return _page(JobFilterForm(formdata=request.args))


def _page(form, status=200, error=None):
    form.tenant.choices = form.tenant.choices[:1] + [
        SelectChoice(t.slug, t.slug) for t in sorted(get_directory(current_app).active(), key=lambda t: t.slug)]
    valid = form.validate()
    tenant = get_directory(current_app).by_slug(form.tenant.data) if valid and form.tenant.data else None
    runs = operations.runs_page(
        state=form.state.data if valid else None, tenant_id=tenant.id if tenant else None,
        before=form.before.data if valid else None, per_page=PAGE_SIZE)
    slugs = {t.id: t.slug for t in get_directory(current_app).active()}
    return render("platform_admin/jobs.html", block="results", status=status if valid else 422,
                  error=error,
                  form=form, runs=runs, slugs=slugs, state_labels=JOB_STATE_LABELS,
                  retry_form=ConfirmForm())


@bp.post("/jobs/<int:job_run_id>/retry")
@requires("platform.manage")
def retry_job(job_run_id: int):
    run = db.session.get(JobRun, job_run_id)
    if run is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        task_id = operations.retry_run(run)
    except operations.NotRetryable:
        return _page(JobFilterForm(formdata=None), status=409,
                     error=_("Only a failed job can be queued again."))
    audit.record("job.retry", target=f"job run {run.id} ({run.name})",
                 after={"task_id": task_id}, tenant_id=None)
    return saved(_("%(job)s is queued again.", job=run.name),
                 url_for("platform_admin.jobs", state="failed"))
