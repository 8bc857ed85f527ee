"""The admin home: the dashboard of what waits for the signed-in person."""

from __future__ import annotations

from flask_login import current_user

from portal.blueprints.admin import bp
from portal.blueprints.admin.dashboard import panels_for
from portal.web.permissions import ROLE_LABELS, can, requires, roles_in_current_tenant
from portal.web.rendering import render


@bp.get("/")
@requires("admin.view")
def index():
    roles = [ROLE_LABELS[r] for r in sorted(roles_in_current_tenant(current_user)) if r in ROLE_LABELS]
    return render("admin/index.html", block="admin", panels=panels_for(current_user, can), roles=roles)
