"""The JSON API described for people (/sessions/api/), from the OpenAPI document machines read."""

from __future__ import annotations

from flask import request, url_for

from portal.blueprints.sessions import bp
from portal.blueprints.sessions.views.openapi import document
from portal.web.rendering import render


@bp.get("/api/")
def api_docs():
    spec = document(request.url_root.rstrip("/") + url_for("sessions.index"))
    return render("sessions/api.html", spec=spec)
