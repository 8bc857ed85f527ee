"""Letters to the mayor and to the Sakrebulo chair (issue 13): the public forms, the writer's
tracking page, the published letters and the statistics (``views/``); the domain core
(``models``, ``writing``, ``lifecycle``, ``feedback``, ``stats``, ``anonymise``, ``tasks``); the
staff's inboxes (``admin/``, one blueprint per recipient)."""

from flask import Blueprint

from portal.web.ratelimits import roomy_in_tests

bp = Blueprint("letters", __name__, url_prefix="/letters")


def _install(state) -> None:
    from portal.blueprints.letters.feedback import satisfaction_question
    from portal.blueprints.satisfaction.invitations import register_question

    register_question("letter", satisfaction_question())
    roomy_in_tests(state.app, "PORTAL_LETTERS_WRITE_LIMIT", "PORTAL_LETTERS_TRACK_LIMIT")


bp.record_once(_install)
