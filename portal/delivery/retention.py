"""Delivered messages do not stay forever: recipients and bodies are personal data.

Sent, failed and bounced messages are deleted ``OUTBOX_RETENTION_DAYS`` (30) after they last
changed; pending, sending and held ones (and any other state someone still has to look at)
stay. The same job drops any link token still sealed in a finished message (``sealing.py``;
the worker drops it at once, this catches a state that did not).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update

from portal.db import utcnow
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db
from portal.jobs import job

log = logging.getLogger("portal.delivery")
FINISHED = ("sent", "failed", "bounced")
#: States in which a message may still be handed to a provider, and so needs its token.
OPEN = ("pending", "sending", "held")


@job(retries=1)
def purge_outbox(tenant_id: int) -> None:
    """Delete the current municipality's finished messages older than the retention period."""
    cutoff = utcnow() - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    db.session.execute(
        update(M).where(M.tenant_id == tenant_id, M.status.not_in(OPEN), M.secret_sealed.is_not(None))
        .values(secret_sealed=None), execution_options={"synchronize_session": False})
    result = db.session.execute(
        delete(M).where(M.tenant_id == tenant_id, M.status.in_(FINISHED), M.updated_at < cutoff),
        execution_options={"synchronize_session": False})
    log.info("outbox tenant_id=%s purged=%d", tenant_id, result.rowcount or 0)
