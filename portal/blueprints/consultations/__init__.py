"""Public consultations (issue 15): the draft budget's public discussion and any other
consultation (a strategy, a plan). The public pages (``views/``: the list, a consultation with
its documents, sections, answered comments and summary, commenting with an e-mail link); the
domain (``models``, ``services``, ``links``, ``queries``, ``topics``); the staff's pages
(``admin/``: writing, documents, moderation, answers, the summary)."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")


def _install(state) -> None:
    from portal.blueprints.consultations import topics

    topics.register()


bp.record_once(_install)
