"""Subscriptions and broadcasts (issue 13): citizens subscribe by e-mail (double opt-in) to
topics that features register (``topics.py``), manage or leave from a link in every message,
and staff broadcast announcements to a topic's subscribers (``admin/``). Everything is sent
through the outbox, in batches by a job (``delivery.py``, ``tasks.py``)."""

from flask import Blueprint

bp = Blueprint("subscriptions", __name__, url_prefix="/subscriptions")


def _install(state) -> None:
    from portal.blueprints.subscriptions import services, topics
    from portal.services.unsubscribe import register_handler

    topics.register_platform_topics()
    register_handler(services.unsubscribe_by_token)
    # Every test client is 127.0.0.1; the rate-limit test sets its own limit.
    if state.app.testing:
        state.app.config.setdefault("PORTAL_SUBSCRIBE_LIMIT", "10000 per minute")


bp.record_once(_install)
