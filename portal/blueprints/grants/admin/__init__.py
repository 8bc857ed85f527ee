"""The staff's side of small grants at ``/<slug>/admin/grants/``: the calls and their
applications for the committee (``grants.score``: score, declare a conflict of interest) and
for the grants office (``grants.manage``: new calls, documents, decisions, announcing the
results, the export)."""

from flask import Blueprint

bp = Blueprint("grants_admin", __name__, url_prefix="/admin/grants")
