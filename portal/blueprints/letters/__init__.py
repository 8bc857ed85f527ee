"""Letters to the mayor and to the Sakrebulo chair (issue 13): the public forms, the writer's
tracking page, the published letters and the statistics (``views/``); the domain core
(``models``, ``writing``, ``lifecycle``, ``feedback``, ``stats``, ``anonymise``, ``tasks``); the
staff's inboxes (``admin/``, one blueprint per recipient)."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/letters")


def _install(state) -> None:
    from portal.blueprints.letters.feedback import satisfaction_question
    from portal.blueprints.satisfaction.invitations import register_question

    register_question("letter", satisfaction_question())
    # Every test client is 127.0.0.1; the rate-limit test sets its own limit.
    if state.app.testing:
        for name in ("WRITE", "TRACK"):
            state.app.config.setdefault(f"PORTAL_LETTERS_{name}_LIMIT", "10000 per minute")


bp.record_once(_install)
