"""News of the City Hall and of the Sakrebulo (issue 13): items with categories, a sanitised
rich-text body, a main image in generated sizes, drafts, scheduled publishing and one pinned
item; the public list and article pages and Atom/RSS feeds (``views/``), the editors' pages
(``admin/``)."""

from flask import Blueprint

bp = Blueprint("news", __name__, url_prefix="/news")


def _install(state) -> None:
    from portal.blueprints.news import topics

    topics.register()


bp.record_once(_install)
