"""What crawlers and browsers ask a municipality's host for: robots.txt, sitemap.xml, favicon.ico.

The same routes answer on the municipality's own domain (``/robots.txt``) and under its prefix
on the shared host (``/poti/robots.txt``); the shared host's own robots.txt (platform views)
lists every municipality's sitemap. Features add their public pages to the sitemap with the
``sitemap`` of their registry entry: a function yielding ``url_for`` arguments, called in the
municipality's context (and only where the feature is on).
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, url_for

from portal.blueprints import get_registry, nav_sections
from portal.blueprints.home import bp
from portal.tenancy import current_tenant


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *",
             f"Disallow: {url_for('admin.index')}",
             f"Disallow: {url_for('accounts.sign_in').rsplit('/', 1)[0]}/",
             f"Disallow: {url_for('platform.language')}",
             f"Sitemap: {url_for('home.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    pages = [("home.index", {})]
    pages += [(section.endpoint, {}) for section in nav_sections(current_app, current_tenant)]
    for source in get_registry(current_app).sitemap_sources(current_tenant):
        pages += [page for page in source() if page not in pages]
    urls = [url_for(endpoint, _external=True, **values) for endpoint, values in pages]
    xml = render_template("home/sitemap.xml", urls=urls)
    return Response(xml, mimetype="application/xml")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the municipality's emblem."""
    logo = current_tenant.config.theme.logo.removeprefix("static/")
    return redirect(url_for("home.asset", asset_path=logo), code=301)
