"""The staff's side of satisfaction, at ``/<slug>/admin/satisfaction/``: the dashboard (by
kind, department and time, response rates, year against year) and the comments to read."""

from flask import Blueprint

bp = Blueprint("satisfaction_admin", __name__, url_prefix="/admin/satisfaction")
