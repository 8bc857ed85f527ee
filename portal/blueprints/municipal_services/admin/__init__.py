"""The staff's side of municipal services: the operators' queue per department
(``services.operate``) and the catalogue, forms and calendars (``services.edit``)."""

from flask import Blueprint

bp = Blueprint("municipal_services_admin", __name__, url_prefix="/admin/services")
