"""Sakrebulo sessions, livestreams and the searchable recordings archive."""

from flask import Blueprint

bp = Blueprint("sessions", __name__, url_prefix="/sessions")
#: Global routes (the cross-municipality search at /search), registered without a tenant.
global_bp = Blueprint("archive", __name__)


def _install(state) -> None:
    from portal.blueprints.sessions import topics
    from portal.blueprints.sessions.search import install_index_maintenance
    from portal.blueprints.sessions.search.choices import init_choices
    from portal.web.problems import answer_problems_under

    install_index_maintenance()
    topics.register()
    answer_problems_under(state.app, f"{state.url_prefix}/api")  # see api.py
    init_choices(state.app)


bp.record_once(_install)

