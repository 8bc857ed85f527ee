"""Outgoing messages of this municipality: what was sent, what waits, what failed.

Staff approve SMS held over the monthly budget, give failed messages another try and, on
purpose and after confirming, send e-mails whose delivery is in doubt again; the rules
live in ``portal.delivery.operations`` (shared with ``flask outbox``). Recipients are personal
data, so the page shows them masked.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import (
    OUTBOX_CHANNEL_LABELS,
    OUTBOX_STATUS_LABELS,
    OutboxActionForm,
    OutboxFilterForm,
)
from portal.delivery import operations
from portal.delivery.error_text import describe_error
from portal.services import audit
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import saved

PAGE_SIZE = 50


@bp.get("/messages")
@requires("outbox.manage")
def outbox():
    form = OutboxFilterForm(formdata=request.args)
    valid = form.validate()
    messages_ = operations.messages_page(
        status=form.status.data if valid else None, channel=form.channel.data if valid else None,
        before=form.before.data if valid else None, per_page=PAGE_SIZE)
    return render("admin/outbox.html", block="results", status=200 if valid else 422,
                  form=form, messages_=messages_, counts=operations.status_counts(),
                  action_form=OutboxActionForm(), **_labels())


@bp.post("/messages/approve")
@requires("outbox.manage")
def approve_held():
    form = OutboxActionForm()
    if not form.validate_on_submit() or not (form.ids.data or form.every.data):
        form.ids.errors = list(form.ids.errors) or [_("Choose the messages to approve.")]
        return _refused(form)
    ids = None if form.every.data else form.ids.data
    count = operations.approve_held(ids)
    audit.record("outbox.approve", target="all held" if ids is None else _ids(ids),
                 after={"approved": count})
    return saved(ngettext("%(num)d message approved for sending.",
                          "%(num)d messages approved for sending.", count),
                 url_for("admin.outbox", status="held"))


@bp.post("/messages/retry")
@requires("outbox.manage")
def retry_failed():
    form = OutboxActionForm()
    if not form.validate_on_submit() or not form.ids.data:
        form.ids.errors = list(form.ids.errors) or [_("Choose the messages to send again.")]
        return _refused(form)
    count = operations.retry_failed(form.ids.data)
    audit.record("outbox.retry", target=_ids(form.ids.data), after={"queued": count})
    return saved(ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count),
                 url_for("admin.outbox", status="failed"))


@bp.post("/messages/resend")
@requires("outbox.manage")
def resend_in_doubt():
    form = OutboxActionForm()
    if not form.validate_on_submit() or not form.ids.data:
        form.ids.errors = list(form.ids.errors) or [_("Choose the messages to send again.")]
        return _refused(form)
    if not form.confirm.data:
        form.ids.errors = [_("Confirm that the recipients may get these messages twice.")]
        return _refused(form)
    count = operations.resend_in_doubt(form.ids.data)
    audit.record("outbox.resend", target=_ids(form.ids.data), after={"queued": count})
    return saved(ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count),
                 url_for("admin.outbox", status="in_doubt"))


def _ids(ids) -> str:
    return "messages " + ", ".join(map(str, sorted(ids)))


def _refused(form):
    return render("admin/outbox.html", status=422, form=OutboxFilterForm(formdata=None),
                  messages_=operations.messages_page(per_page=PAGE_SIZE),
                  counts=operations.status_counts(),
                  action_form=form, **_labels())


def _labels() -> dict:
    return {"masked": operations.masked, "status_labels": OUTBOX_STATUS_LABELS,
            "channel_labels": OUTBOX_CHANNEL_LABELS, "delivery_error": describe_error}
