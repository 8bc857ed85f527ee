"""Citizen satisfaction (issue 14): after a letter is answered, a petition decided or a service
completed, the citizen is invited once to rate it 1-5 (``invitations``: the public module other
features call); the answer page and the public summary (``views``); the staff's dashboard and
comment moderation (``admin/``); the figures (``stats``)."""

from flask import Blueprint

bp = Blueprint("satisfaction", __name__, url_prefix="/satisfaction")


def _install(state) -> None:
    # Municipal services announce each completed appointment or decided application; where
    # that feature is part of the build, each becomes an invitation (kind "service").
    try:
        from portal.blueprints.municipal_services import events
    except ImportError:
        return
    from portal.blueprints.satisfaction.invitations import service_completed

    if service_completed not in events.on_completed:
        events.on_completed.append(service_completed)


bp.record_once(_install)
