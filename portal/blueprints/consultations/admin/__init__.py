"""The staff's side of consultations, at ``/<slug>/admin/consultations/``
(``consultations.manage``): writing a consultation with its sections, publishing it, its draft
documents, moderating and answering comments, the summary. Every action is audit-logged; the
rules are in ``services.py`` and ``comments.py``."""

from flask import Blueprint

bp = Blueprint("consultations_admin", __name__, url_prefix="/admin/consultations")
