"""Reminders the day before an appointment, once each: a periodic job (``tasks.py``) finds
tomorrow's booked appointments not yet reminded, tells each applicant and marks the request,
in one transaction; the outbox key (request, day, time) makes a second run queue nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.blueprints.municipal_services.models import ServiceRequest
from portal.blueprints.municipal_services.requests import send
from portal.extensions import db
from portal.i18n import to_local

#: Most reminders in one run (the next run takes the rest).
BATCH = 500


def send_due(now: datetime) -> int:
    """Remind the applicants of the current municipality's appointments of tomorrow (the
    municipality's date); returns how many were reminded."""
    tomorrow = to_local(now).date() + timedelta(days=1)
    due = list(db.session.scalars(
        select(ServiceRequest).where(ServiceRequest.kind == "appointment",
                                     ServiceRequest.status == "booked",
                                     ServiceRequest.day == tomorrow,
                                     ServiceRequest.reminded_at.is_(None))
        .order_by(ServiceRequest.id).limit(BATCH)))
    for request in due:
        send(request, "reminder",
             key=f"municipal_services.reminder:{request.id}:{request.day}:{request.start_minute}")
        request.reminded_at = now
    db.session.flush()
    return len(due)
