"""One-click unsubscribe links from e-mail (RFC 8058); the subscriptions feature handles them."""

from flask import Blueprint

bp = Blueprint("unsubscribe", __name__, url_prefix="/unsubscribe")
