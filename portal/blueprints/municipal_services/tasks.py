"""Job entry points of municipal services; the registry entry's ``schedule`` runs them."""

from __future__ import annotations

from portal.db import utcnow
from portal.jobs import job


@job(retries=1)
def send_service_reminders(tenant_id: int) -> str:
    """Remind applicants of tomorrow's appointments, once each (``reminders.py``)."""
    from portal.blueprints.municipal_services.reminders import send_due

    return f"{send_due(utcnow())} reminded"
