"""Infrastructure projects (issue 15): the public list with its map, a project's page with
its timeline and photos, the GeoJSON and the Atom feed of updates (``views/``); the domain
(``models``, ``geometry``, ``services``, ``queries``, ``topics``); the editors' pages
(``admin/``)."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _install(state) -> None:
    from portal.blueprints.projects import topics

    topics.register()
    # Tests never fetch map tiles from the internet (a test may point this at a local server).
    if state.app.testing:
        state.app.config.setdefault("PORTAL_MAP_TILES", "")


bp.record_once(_install)
