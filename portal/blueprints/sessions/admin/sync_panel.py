"""The archive sync for the clerk: each source's last run and recent history, the sources this
municipality is configured with (never a credential), "sync now" and pasting a video address;
and the archive's two dashboard panels."""

from __future__ import annotations

import logging

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin.recording_forms import ImportForm, SyncNowForm
from portal.blueprints.sessions.recordings import machine, review
from portal.blueprints.sessions.sources import sync as archive_sync
from portal.jobs import enqueue
from portal.services import audit
from portal.tenancy import current_tenant
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

log = logging.getLogger(__name__)
PAGE = "sessions/admin/sync.html"


def _page(import_form=None, status: int = 200, problem: str | None = None):
    tenant = current_tenant._get_current_object()
    return render(PAGE, status=status, latest=review.sync_status(), runs=review.recent_runs(),
                  sources=review.source_settings(tenant), sync_form=SyncNowForm(),
                  import_form=import_form or ImportForm(), problem=problem,
                  will_resume=review.will_resume, redact=lambda text: review.redact(text, tenant),
                  speech=_speech())


def _speech() -> dict:
    """The machine transcripts' part of the panel: the backend, its price, recent runs with
    their cost and time, and the totals."""
    engine = machine.transcriber()
    return {"backend": engine.name if engine else None,
            "price": float(machine.setting("ARCHIVE_SPEECH_PRICE_PER_MINUTE") or 0),
            "currency": machine.setting("ARCHIVE_SPEECH_CURRENCY"),
            "runs": machine.recent(), "totals": machine.totals(),
            "waiting": len(machine.candidates(limit=100)) if engine else 0}


@bp.get("/sync")
@requires("sessions.edit")
def sync():
    return _page()


@bp.post("/sync/run")
@requires("sessions.edit")
def sync_now():
    """Queue the ``sync_sessions`` job for this municipality (the worker runs it)."""
    if not SyncNowForm().validate_on_submit():
        return _page(status=422)
    try:
        task_id = enqueue("sync_sessions", tenant_id=current_tenant.id)
    except Exception:  # noqa: BLE001 - a queue that is down is the operator's, not a 500
        log.exception("could not queue sync_sessions for %s", current_tenant.slug)
        return _page(status=503, problem=_("The job queue cannot be reached just now. Try again "
                                           "in a few minutes."))
    audit.record("sync.queue", target=f"tenant:{current_tenant.slug}", after={"task": task_id})
    return saved(_("The sync is queued. It runs in the background; reload this page in a minute "
                   "to see the result."), url_for("sessions_admin.sync"))


@bp.post("/sync/import")
@requires("sessions.edit")
def import_video():
    """Import a pasted YouTube or Facebook video address (checked by the fetch guard)."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    tenant = current_tenant._get_current_object()
    with refusals_onto(form):
        recording, created = review.import_video(tenant, form.url.data,
                                                 archive_sync.configured_clients(tenant))
        audit.record("recording.import", target=f"recording:{recording.id}",
                     after={"url": recording.url, "source": recording.source,
                            "external_id": recording.external_id, "created": created})
        return saved(_("“%(title)s” is imported.", title=recording.title) if created
                     else _("“%(title)s” was already in the archive; its details are updated.",
                            title=recording.title),
                     url_for("sessions_admin.recording", recording_id=recording.id))
    return _page(form, status=422)


def _recordings_to_review(user) -> DashboardPanel:
    return DashboardPanel(review.count_unconfirmed(), [
        DashboardItem(str(_l("Review the recordings")), url_for("sessions_admin.recordings"))])


def _failed_syncs(user) -> DashboardPanel:
    failed = review.failed_sources(review.sync_status())
    return DashboardPanel(len(failed), [
        DashboardItem(str(_l("Open the archive sync")), url_for("sessions_admin.sync"))])


def _register_providers(state) -> None:
    register_provider(DashboardProvider(
        "archive_recordings_to_review", _l("Recordings to review"), "sessions.edit",
        _recordings_to_review, feature="sessions"))
    register_provider(DashboardProvider(
        "archive_failed_syncs", _l("Failed archive syncs"), "sessions.edit", _failed_syncs,
        feature="sessions"))


bp.record_once(_register_providers)
