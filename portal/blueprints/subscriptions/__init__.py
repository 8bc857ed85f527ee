"""Subscriptions and broadcasts (issue 13): citizens subscribe by e-mail (double opt-in) to
topics that features register (``topics.py``), manage or leave from a link in every message,
and staff broadcast announcements to a topic's subscribers (``admin/``). Everything is sent
through the outbox, in batches by a job (``delivery.py``, ``tasks.py``)."""

from flask import Blueprint

from portal.web.ratelimits import roomy_in_tests

bp = Blueprint("subscriptions", __name__, url_prefix="/subscriptions")


def _install(state) -> None:
    from portal.blueprints.subscriptions import services, topics
    from portal.services.unsubscribe import register_handler

    topics.register_platform_topics()
    register_handler(services.unsubscribe_by_token)
    roomy_in_tests(state.app, "PORTAL_SUBSCRIBE_LIMIT")


bp.record_once(_install)
