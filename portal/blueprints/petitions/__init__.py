"""Petitions (issue 12): the domain core (models, signing, counting, sampling statistics,
anonymisation), the municipality's settings, and the public pages (``views/``): the list, a
petition's page, signing and the confirmation of a signature; feeds, the JSON API and the CSV export
(``views/open_data.py``)."""

from flask import Blueprint

from portal.web.ratelimits import roomy_in_tests

bp = Blueprint("petitions", __name__, url_prefix="/petitions")
#: The platform's list of open petitions of every municipality (``views/platform.py``).
platform_bp = Blueprint("petitions_platform", __name__)


def _install(state) -> None:
    from portal.blueprints.petitions import topics
    from portal.web.problems import answer_problems_under

    topics.register()
    answer_problems_under(state.app, f"{state.url_prefix}/api")  # see views/open_data.py
    roomy_in_tests(state.app, *(f"PORTAL_PETITION_{name}_LIMIT"
                                for name in ("SIGN", "EMAIL", "DOMAIN", "CREATE", "CREATE_DOMAIN")))


bp.record_once(_install)
