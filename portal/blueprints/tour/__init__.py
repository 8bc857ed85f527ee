"""The municipality's virtual 3D tour, embedded from its provider."""

from flask import Blueprint

bp = Blueprint("tour", __name__, url_prefix="/tour")

from portal.blueprints.tour import views  # noqa: E402,F401  (routes attach to bp)
