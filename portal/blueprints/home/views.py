"""Routes of a municipality's home page and its per-tenant assets."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from flask import Response, abort, current_app, request, send_file
from werkzeug.security import safe_join

from portal.blueprints import get_registry
from portal.blueprints.feature import load
from portal.blueprints.home import bp
from portal.tenancy import current_tenant
from portal.web.rendering import render_public


@bp.get("/")
def index():
    parts = get_registry(current_app).home_parts(current_tenant)
    return render_public("home/index.html", block="content",
                         home_parts=[_HomePart(p.template, p.context and load(p.context)) for p in parts])


class _HomePart(NamedTuple):
    template: str
    #: Called while rendering, so a cached page costs no query.
    context: Callable | None


@bp.get("/theme.css")
def theme_css():
    """The municipality's colours as CSS custom properties (no inline styles: see the CSP)."""
    theme = current_tenant.config.theme
    css = f":root{{--brand:{theme.primary};--accent:{theme.accent};}}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    # Revalidated on every use (a 304 costs almost nothing): colours a municipality's admin
    # changes in its settings show on the next page view, not minutes later.
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/assets/<path:asset_path>")
def asset(asset_path: str):
    """Files from tenants/<slug>/static (coat of arms, images); nothing outside that folder."""
    if asset_path.startswith("uploads/"):  # a logo uploaded in the municipality's settings
        folder = Path(current_app.instance_path) / "tenant_uploads" / current_tenant.slug
        return _send_small_file(folder, asset_path.removeprefix("uploads/"))
    folder = Path(current_app.config["PORTAL_TENANTS_DIR"]) / current_tenant.slug / "static"
    return _send_small_file(folder, asset_path)


def _send_small_file(folder: Path, name: str) -> Response:
    """``name`` inside ``folder``, read whole: these files are small (an emblem, a logo of at
    most 512 kB), and a response that holds no open file leaks no descriptor when something
    after the view fails (a database error in an ``after_request`` drops the response unclosed)."""
    found = safe_join(str(folder), name)
    if found is None or not Path(found).is_file():
        abort(404)
    path = Path(found)
    stat = path.stat()
    return send_file(io.BytesIO(path.read_bytes()),
                     mimetype=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                     etag=f"{stat.st_mtime_ns}-{stat.st_size}", last_modified=stat.st_mtime,
                     max_age=3600)
