"""The editors' side of news, at ``/<slug>/admin/news/`` (``news.edit``): the list, writing
and previewing an item, publishing now or at a time, unpublishing, pinning, deleting, and the
municipality's categories. Every action is audit-logged; the rules are in ``services.py``."""

from flask import Blueprint

bp = Blueprint("news_admin", __name__, url_prefix="/admin/news")
