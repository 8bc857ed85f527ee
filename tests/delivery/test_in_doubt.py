"""An e-mail whose delivery is in doubt (the worker died after handing it over) has its own
state, ``in_doubt``: not shown as sent, listed by the outbox admin and ``flask outbox``, and
sent again only when staff deliberately ask for it (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.delivery import operations
from portal.delivery.cli import outbox_cli
from portal.delivery.models import OutboxMessage
from portal.delivery.worker import drain
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.services.outbox import queue_email
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in


def _abandoned_after_handoff(tenant) -> int:
    """A message as a killed worker leaves it: claimed, lease over, hand-off recorded."""
    with tenant_context(tenant):
        message = queue_email(to="citizen@example.ge", template="notice", locale="ka",
                              context={"title": "შეტყობინება", "lines": ["ტექსტი"]})
        message.status = "sending"
        message.attempts = 1
        message.claim_token = "dead-worker"
        message.lease_until = utcnow() - timedelta(seconds=1)
        message.handed_off_at = utcnow() - timedelta(seconds=10)
        db.session.commit()
        return message.id


def _reload(tenant, message_id) -> OutboxMessage:
    with tenant_context(tenant):
        db.session.expire_all()
        return db.session.get(OutboxMessage, message_id)


@pytest.mark.usefixtures("ctx")
def test_a_message_in_doubt_is_not_recorded_as_sent_nor_resent(delivery_config, smtp, poti):
    message_id = _abandoned_after_handoff(poti)
    with tenant_context(poti):
        drain()
    message = _reload(poti, message_id)
    assert message.status == "in_doubt"
    assert "unconfirmed" in message.last_error
    assert smtp.received == 0
    with tenant_context(poti):
        assert [m.id for m in operations.recent_messages(status="in_doubt")] == [message_id]
        assert operations.recent_messages(status="sent") == []
        drain()  # and it stays so: nothing claims it again
    assert _reload(poti, message_id).status == "in_doubt" and smtp.received == 0


@pytest.mark.usefixtures("ctx")
def test_staff_send_a_message_in_doubt_again_deliberately(app, delivery_config, smtp, poti,
                                                          staff):
    message_id = _abandoned_after_handoff(poti)
    with tenant_context(poti):
        drain()
    client = app.test_client()
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    page = client.get("/poti/admin/messages?status=in_doubt")
    assert page.status_code == 200 and f'value="{message_id}"' in page.text
    token = csrf_token(page.text)
    # Without the confirmation nothing happens.
    refused = client.post("/poti/admin/messages/resend",
                          data={"csrf_token": token, "ids": [str(message_id)]})
    assert refused.status_code == 422
    assert _reload(poti, message_id).status == "in_doubt"
    response = client.post("/poti/admin/messages/resend", data={
        "csrf_token": token, "ids": [str(message_id)], "confirm": "y"})
    assert response.status_code == 303
    message = _reload(poti, message_id)
    assert message.status == "pending" and message.handed_off_at is None
    with tenant_context(poti):
        drain()
    assert _reload(poti, message_id).status == "sent" and smtp.received == 1
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "outbox.resend")).one()
    assert entry.actor_id == admin.id and str(message_id) in entry.target


@pytest.mark.usefixtures("ctx")
def test_flask_outbox_lists_and_resends_messages_in_doubt(app, delivery_config, poti):
    message_id = _abandoned_after_handoff(poti)
    with tenant_context(poti):
        drain()
    runner = app.test_cli_runner()
    listed = runner.invoke(outbox_cli, ["list", "--tenant", "poti", "--status", "in_doubt"])
    assert listed.exit_code == 0, listed.output
    assert "email/in_doubt=1" in listed.output and f"{message_id}" in listed.output
    declined = runner.invoke(outbox_cli, ["resend", "--tenant", "poti", str(message_id)],
                             input="n\n")
    assert declined.exit_code != 0
    assert _reload(poti, message_id).status == "in_doubt"
    done = runner.invoke(outbox_cli, ["resend", "--tenant", "poti", "--yes", str(message_id)])
    assert done.exit_code == 0, done.output
    assert _reload(poti, message_id).status == "pending"


@pytest.mark.usefixtures("ctx")
def test_another_municipalitys_message_in_doubt_cannot_be_sent_again(app, delivery_config, poti,
                                                                     abasha, staff):
    message_id = _abandoned_after_handoff(abasha)
    with tenant_context(abasha):
        drain()
    client = app.test_client()
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/messages").text)
    client.post("/poti/admin/messages/resend", data={
        "csrf_token": token, "ids": [str(message_id)], "confirm": "y"})
    assert _reload(abasha, message_id).status == "in_doubt"
