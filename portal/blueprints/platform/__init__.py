"""The shared host's own pages: the list of municipalities, the language switch, health."""

from flask import Blueprint

bp = Blueprint("platform", __name__)

from portal.blueprints.platform import views  # noqa: E402,F401  (routes attach to bp)
