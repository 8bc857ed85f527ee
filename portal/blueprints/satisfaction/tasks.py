"""Job entry points of satisfaction; the registry's ``schedule`` runs them per municipality."""

from __future__ import annotations

from portal.db import utcnow
from portal.jobs import job


@job(retries=1)
def send_satisfaction_invitations(tenant_id: int) -> str:
    """Queue the pending invitations' messages through the outbox (``invitations.send_pending``)."""
    from portal.blueprints.satisfaction.invitations import send_pending

    return f"{send_pending(utcnow())} sent"
