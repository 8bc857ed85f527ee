"""A request in the operators' hands: status changes, missing documents, decisions; each a
dated event the applicant sees, an audit entry, and (when it says something) a message.

Applications: submitted → in_progress → documents_requested → (the applicant sends them:
submitted) … → approved / rejected (the decision, with a message). Appointments: booked →
attended → completed, or no_show; staff may cancel a booked one (the place is given back).
An appointment completed or an application decided is announced once to ``events.on_completed``.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.municipal_services import booking, events, requests
from portal.blueprints.municipal_services.models import RequestEvent, ServiceRequest
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("in_progress", "documents_requested", "approved", "rejected"),
    "in_progress": ("documents_requested", "approved", "rejected"),
    "documents_requested": ("in_progress", "approved", "rejected"),
    "approved": (),
    "rejected": (),
    "booked": ("attended", "completed", "no_show", "cancelled"),
    "attended": ("completed",),
    "completed": (),
    "no_show": (),
    "cancelled": (),
}
#: Statuses whose step needs words for the applicant.
NEEDS_MESSAGE = ("documents_requested", "rejected")
#: Steps that end a request (the satisfaction hook fires).
COMPLETING = ("completed", "approved", "rejected")
#: Statuses still waiting for the operators.
OPEN = ("submitted", "in_progress", "documents_requested", "booked", "attended")

STATUS_LABELS = {
    "submitted": _l("Received"),
    "in_progress": _l("Being handled"),
    "documents_requested": _l("Documents missing"),
    "approved": _l("Approved"),
    "rejected": _l("Refused"),
    "cancelled": _l("Cancelled"),
    "booked": _l("Booked"),
    "attended": _l("Arrived"),
    "completed": _l("Completed"),
    "no_show": _l("Did not come"),
}
#: What staff press to take each step.
ACTION_LABELS = {
    "in_progress": _l("Start handling"),
    "documents_requested": _l("Ask for missing documents"),
    "approved": _l("Approve"),
    "rejected": _l("Refuse"),
    "attended": _l("Mark as arrived"),
    "completed": _l("Mark as completed"),
    "no_show": _l("Mark as not come"),
    "cancelled": _l("Cancel the appointment"),
}
#: The line of the applicant's message, per step.
NEWS = {
    "in_progress": _l("Your application is being handled."),
    "documents_requested": _l("Some documents are missing. Please send them from your request's page."),
    "approved": _l("Your application is approved."),
    "rejected": _l("Your application is refused."),
    "completed": _l("Your appointment is completed. Thank you for coming."),
    "cancelled": _l("Your appointment is cancelled by the municipality."),
}


def _actor_id() -> int | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def move(request: ServiceRequest, to: str, message: str = "") -> None:
    """Take the step ``to``; flushes. Raises DomainError (``status`` for a step not allowed
    from here, ``message`` when the step needs words)."""
    if to not in TRANSITIONS.get(request.status, ()):
        raise DomainError(_l("This step is not possible now."), field="status")
    message = (message or "").strip()[:5000]
    if to in NEEDS_MESSAGE and not message:
        raise DomainError(_l("Write to the applicant what is missing or why."), field="message")
    before = request.status
    if to == "cancelled":
        booking.give_back(request.slot_id)
        request.slot_id = None
    request.status = to
    if message:
        request.message = message
    db.session.add(RequestEvent(request_id=request.id, from_status=before, to_status=to,
                                text=message, actor_id=_actor_id()))
    audit.record("municipal_services.status", target=f"service_request:{request.id}",
                 before={"status": before}, after={"status": to})
    db.session.flush()
    if to in NEWS:
        with force_locale(request.locale):
            lines = [str(NEWS[to])]
            if message:
                lines.append(_("Message from the municipality: %(message)s", message=message))
        requests.send(request, "status", lines=lines)
    if to in COMPLETING and request.completed_at is None:
        request.completed_at = utcnow()
        db.session.flush()
        events.announce(completion(request))


def completion(request: ServiceRequest) -> events.Completion:
    service = request.service
    return events.Completion(
        kind=request.kind, request_id=request.id, tenant_id=request.tenant_id,
        service_id=service.id, service_title=service.text("title"),
        department_id=service.department_id, department_name=service.department.text("name"),
        status=request.status, completed_at=request.completed_at, email=request.email,
        phone=request.phone, locale=request.locale, full_name=request.full_name,
        user_id=request.user_id)
