"""The municipality's virtual tour and its sights (issue 15): the provider's 3D tour embedded
from the tenant's ``tour_url``, and below it the cultural, historical and natural sights on a
map and in a list (``views.py``); a sight's page, its photo, the sights as GeoJSON; the domain
(``models``, ``services``, ``queries``); the editors' pages (``admin/``, ``tour.edit``)."""

from flask import Blueprint

bp = Blueprint("tour", __name__, url_prefix="/tour")
