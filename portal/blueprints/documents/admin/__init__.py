"""The editors' side of the register, at ``/<slug>/admin/documents/`` (``documents.edit``):
the list, writing a document, uploading its file and new versions, publishing and
unpublishing it. Every action is audit-logged; the rules are in ``services.py``."""

from flask import Blueprint

bp = Blueprint("documents_admin", __name__, url_prefix="/admin/documents")
