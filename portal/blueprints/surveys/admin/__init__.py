"""The staff's side of surveys at ``/<slug>/admin/surveys/`` (``surveys.manage``): the list,
the builder (settings, sections, questions, status), live results, the CSV export and the
printable report."""

from flask import Blueprint

bp = Blueprint("surveys_admin", __name__, url_prefix="/admin/surveys")
