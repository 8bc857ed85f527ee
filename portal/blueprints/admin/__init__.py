"""Each municipality's administration at ``/<slug>/admin/``: dashboard, settings with a live
preview, staff and roles, the audit log. Every route declares its permission with
``@requires`` (portal.web.permissions)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
