"""Subscriptions' fixtures: the local SMTP and SMS servers of the delivery tests, and helpers
to read the outbox and run the sending job as the worker does."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.jobs import REGISTRY
from portal.jobs.runner import run_job
from portal.tenancy import tenant_context
from tests.delivery.conftest import delivery_config, sms_server, smtp  # noqa: F401 - fixtures


def outbox(app, tenant) -> list[OutboxMessage]:
    with app.app_context(), tenant_context(tenant):
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        from portal.delivery.sealing import reveal

        for message in messages:
            # the text as the mail server gets it (the link token back in place)
            message.revealed = reveal(message.body_text, message.secret_sealed)
            db.session.expunge(message)
        return messages


def link_in(message: OutboxMessage, path: str, slug: str = "poti") -> str:
    """The first link to ``path`` in the message (as ``outbox`` revealed it), as a path under
    the shared host's ``/<slug>`` (the message links to the municipality's own domain)."""
    text = message.revealed
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", text)
    assert found, f"no link to {path} in {text!r}"
    return f"/{slug}{found.group(1)}"


def run(app, tenant, name: str, **kwargs):
    import portal.blueprints.subscriptions.tasks  # noqa: F401 - registers the jobs

    return run_job(app, REGISTRY[name], tenant.id, kwargs, task_id=f"t-{name}")


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client
