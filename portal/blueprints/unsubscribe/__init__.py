"""One-click unsubscribe links from e-mail (RFC 8058); the subscriptions feature handles them."""

from flask import Blueprint

bp = Blueprint("unsubscribe", __name__, url_prefix="/unsubscribe")

from portal.blueprints.unsubscribe import views  # noqa: E402,F401  (routes attach to bp)
