"""The platform admin at ``/platform/`` on the shared host: add municipalities, appoint admins."""

from flask import Blueprint

bp = Blueprint("platform_admin", __name__, url_prefix="/platform")
