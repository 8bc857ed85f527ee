"""Municipal services and electronic registration (issue 14): the catalogue, online
applications with a form per service, appointments in a department's calendar, the
applicant's status page (``views/``); the domain core (``models``, ``calendar``, ``booking``,
``requests``, ``lifecycle``, ``catalogue``, ``reminders``, ``tasks``); the operators' queue and
the catalogue's editor (``admin/``). ``events.py`` is the way in for other features."""

from flask import Blueprint

bp = Blueprint("municipal_services", __name__, url_prefix="/services")


def _install(state) -> None:
    # Every test client is 127.0.0.1; the rate-limit test sets its own limit.
    if state.app.testing:
        state.app.config.setdefault("PORTAL_SERVICES_BOOK_LIMIT", "10000 per minute")


bp.record_once(_install)
