"""Municipal services and electronic registration (issue 14): the catalogue, online
applications with a form per service, appointments in a department's calendar, the
applicant's status page (``views/``); the domain core (``models``, ``calendar``, ``booking``,
``requests``, ``lifecycle``, ``catalogue``, ``reminders``, ``tasks``); the operators' queue and
the catalogue's editor (``admin/``). ``events.py`` is the way in for other features."""

from flask import Blueprint

from portal.web.ratelimits import roomy_in_tests

bp = Blueprint("municipal_services", __name__, url_prefix="/services")


def _install(state) -> None:
    roomy_in_tests(state.app, "PORTAL_SERVICES_BOOK_LIMIT")


bp.record_once(_install)
