"""The editors' side of projects, at ``/<slug>/admin/projects/`` (``projects.edit``): the
list, writing a project, publishing and unpublishing it, posting dated updates with photos and
deleting them. Every action is audit-logged; the rules are in ``services.py``."""

from flask import Blueprint

bp = Blueprint("projects_admin", __name__, url_prefix="/admin/projects")
