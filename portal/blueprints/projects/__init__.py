"""Infrastructure projects (issue 15): the public list with its map, a project's page with
its timeline and photos, the GeoJSON and the Atom feed of updates (``views/``); the domain
(``models``, ``geometry``, ``services``, ``queries``, ``topics``); the editors' pages
(``admin/``)."""

import os

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _install(state) -> None:
    from portal.blueprints.projects import topics

    topics.register()
    # One tile server for every municipality from the environment (settings.py); tests never
    # fetch map tiles from the internet (a test may point this at a local server).
    config = state.app.config
    if "PORTAL_MAP_TILES" in os.environ:
        config.setdefault("PORTAL_MAP_TILES", os.environ["PORTAL_MAP_TILES"])
    elif state.app.testing or config.get("PORTAL_ENV") == "testing":
        config.setdefault("PORTAL_MAP_TILES", "")


bp.record_once(_install)
