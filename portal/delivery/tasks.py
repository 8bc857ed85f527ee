"""Delivery jobs: drain a municipality's outbox, and poll SMS delivery reports."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from portal.db import utcnow
from portal.delivery.models import OutboxMessage as M
from portal.delivery.worker import drain
from portal.extensions import db
from portal.jobs import enqueue, job
from portal.services.sms import provider_for
from portal.services.transport import DeliveryError

log = logging.getLogger("portal.delivery")
POLL_WINDOW = timedelta(days=2)
POLL_BATCH = 200


@job(retries=5, retry_delay=5, retry_backoff=2)
def send_outbox(tenant_id: int) -> None:
    """Send what is due; continue in a new run if time ran out, or after a rate-limit pause."""
    report = drain()
    log.info("outbox tenant_id=%s sent=%d retried=%d failed=%d held=%d in_doubt=%d wait=%.0f"
             " more=%s", tenant_id, report.sent, report.retried, report.failed, report.held,
             report.in_doubt, report.wait, report.more)
    if report.more:
        enqueue("send_outbox", tenant_id=tenant_id)
    elif report.wait:
        enqueue("send_outbox", tenant_id=tenant_id, delay=report.wait)


@job(retries=2, retry_delay=60)
def poll_sms_status(tenant_id: int) -> None:
    """Ask the provider about SMS sent in the last two days that have no final report."""
    try:
        provider = provider_for_current()
    except DeliveryError:
        return  # no provider configured: nothing was sent, nothing to ask
    last_id = 0
    while True:
        rows = db.session.execute(
            select(M.id, M.idempotency_key).where(
                M.channel == "sms", M.status == "sent", M.id > last_id,
                M.sent_at >= utcnow() - POLL_WINDOW,
                M.delivery_status.is_(None) | (M.delivery_status == "accepted"),
            ).order_by(M.id).limit(POLL_BATCH)
        ).all()
        db.session.commit()
        if not rows:
            return
        for message_id, reference in rows:
            report = provider.lookup(reference)
            if report is None:
                continue
            values = {"delivery_status": report.status}
            if report.status == "undelivered":
                values["status"] = "bounced"
            db.session.execute(update(M).where(M.id == message_id).values(**values),
                               execution_options={"synchronize_session": False})
            db.session.commit()
        last_id = rows[-1][0]


def provider_for_current():
    from portal.tenancy import current_tenant

    return provider_for(current_tenant._get_current_object())
