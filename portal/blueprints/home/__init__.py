"""A municipality's home page and its look (theme colours, coat of arms)."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from portal.blueprints.home import crawlers, views  # noqa: E402,F401  (routes attach to bp)
