"""The municipality's map tiles (``[projects]`` of tenant.toml, edited by staff at
``/<slug>/admin/settings/projects``): the tile server behind every map of the portal
(templates/_map.html: the projects' map, the tour's sights), OpenStreetMap's by default. The
CSP allows the tile server's origin (``content_origins`` below). A public module
(tests/test_imports.py): other features read ``map_view`` and ``content_origins`` only.

The app setting ``PORTAL_MAP_TILES`` (also read from the environment), when present, overrides
every municipality's tile server ("" for none); under ``TESTING`` or ``PORTAL_ENV=testing`` it
is "" unless set, so no test fetches tiles from the internet.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.tenancy.settings import FeatureSettings, Setting

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

projects_settings = FeatureSettings("projects", label=_l("Projects"), fields=(
    Setting("tile_url", "url", _l("Map tiles (address with {z}, {x} and {y})"), default=OSM_TILES,
            max=300, description=_l("The tile server behind the projects' map; OpenStreetMap's by "
                                    "default. Empty: no background map (the projects are still "
                                    "drawn and listed).")),
    Setting("tile_attribution", "text", _l("Credit for the map tiles"), default=OSM_ATTRIBUTION,
            max=200),
))


def tile_url(tenant_id: int | None = None) -> str:
    """The tile address template, or "" for none (also when it lacks {z}, {x} or {y})."""
    override = current_app.config.get("PORTAL_MAP_TILES")
    url = override if override is not None else (projects_settings.get("tile_url", tenant_id) or "")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        return ""
    if not url.startswith("https://") and override is None:
        return ""
    return url


def tile_attribution() -> str:
    return projects_settings.get("tile_attribution") or ""


def map_view() -> dict:
    """What templates/_map.html needs of the tiles: ``tiles`` ("" for none), ``attribution``."""
    return {"tiles": tile_url(), "attribution": tile_attribution()}


def content_origins(tenant) -> dict[str, tuple[str, ...]]:
    """The tile server's origin for the CSP's img-src (nothing without tiles)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        url = tile_url(tenant.id)
    except SQLAlchemyError:  # the database is down: the 503 page needs no map
        return {}
    if not url:
        return {}
    parts = urlsplit(url.replace("{s}", "a"))
    return {"img-src": (f"{parts.scheme}://{parts.netloc}",)}
