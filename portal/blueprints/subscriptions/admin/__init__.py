"""The staff side of subscriptions, at ``/<slug>/admin/subscriptions/``: subscriber counts per
topic (no personal data), an audited export, and broadcasts (``subscriptions.broadcast``):
compose, preview the number of recipients, confirm; sent by a job in batches."""

from flask import Blueprint

bp = Blueprint("subscriptions_admin", __name__, url_prefix="/admin/subscriptions")
