"""What every template can use: the tenant, its navigation, asset URLs with cache busting."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for

from portal.tenancy import get_current_tenant, platform_home_url, public_path
from portal.web.shell import htmx_csrf_slot


@cache
def _file_version(static_folder: str, filename: str) -> str:
    # Keyed by name: hashing (or even building the path) once per process, not per page.
    return hashlib.sha256((Path(static_folder) / filename).read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """URL of a file under portal/static with a content hash, so it can be cached for a year."""
    version = _file_version(current_app.static_folder, filename)
    return url_for("static", filename=filename, v=version)


def init_templating(app: Flask) -> None:
    from portal.blueprints import nav_sections  # the registry builds on the platform, not back

    app.jinja_env.globals.update(asset_url=asset_url, platform_home_url=platform_home_url,
                                 htmx_csrf_slot=htmx_csrf_slot)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def tenant_globals():
        tenant = get_current_tenant()
        return {
            "tenant": tenant,
            "nav": nav_sections(app, tenant) if tenant else [],
            "current_path": public_path,
        }
