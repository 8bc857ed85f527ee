"""The editors' side of the tour, at ``/<slug>/admin/tour/`` (``tour.edit``): the list of
sights, writing one (with its photo), publishing, unpublishing and deleting it. Every action is
audit-logged; the rules are in ``services.py``."""

from flask import Blueprint

bp = Blueprint("tour_admin", __name__, url_prefix="/admin/tour")
