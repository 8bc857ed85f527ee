"""The virtual tour page: the provider's player in a titled frame, and a plain link."""

from __future__ import annotations

from flask import abort

from portal.blueprints.tour import bp
from portal.tenancy import current_tenant
from portal.web.rendering import render


@bp.get("/")
def index():
    if not current_tenant.config.tour_url:
        abort(404)
    return render("tour/index.html", block="content", tour_url=current_tenant.config.tour_url)
