"""Petitions (issue 12): the domain core (models, signing, counting, sampling statistics,
anonymisation), the municipality's settings, and the public pages (``views/``): the list, a
petition's page, signing and the confirmation of a signature."""

from flask import Blueprint

bp = Blueprint("petitions", __name__, url_prefix="/petitions")


def _install(state) -> None:
    # Every test client is 127.0.0.1; the rate-limit test sets its own limit.
    if state.app.testing:
        for name in ("SIGN", "EMAIL", "DOMAIN"):
            state.app.config.setdefault(f"PORTAL_PETITION_{name}_LIMIT", "10000 per minute")


bp.record_once(_install)
