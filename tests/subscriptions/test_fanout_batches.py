"""A broadcast's fan-out never holds more than one batch of subscribers: each run of
``send_notice`` loads at most ``delivery.BATCH`` subscriber rows (counted as the ORM loads
them, and by the statements' LIMIT), walks them by a keyset cursor, and every recipient ends
with exactly one message."""

from __future__ import annotations

from sqlalchemy import event, insert, literal, select
from sqlalchemy.engine import Engine

from portal.blueprints.subscriptions import delivery
from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.blueprints.subscriptions.topics import EMERGENCY, get_topic, in_every_language
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.subscriptions.conftest import outbox, run

SUBSCRIBERS = 23
BATCH = 5


def _many_subscribers(app, tenant, count: int) -> None:
    with app.app_context(), tenant_context(tenant):
        now = utcnow()
        db.session.execute(insert(Subscriber), [
            {"tenant_id": tenant.id, "channel": "email", "address": f"many{n}@example.ge",
             "locale": "ka", "frequency": "immediate", "link_nonce": f"{n:016x}",
             "created_at": now, "confirmed_at": now} for n in range(count)])
        db.session.execute(insert(Subscription).from_select(
            ["tenant_id", "subscriber_id", "topic", "object_id"],
            select(Subscriber.tenant_id, Subscriber.id, literal(EMERGENCY), literal(0))
            .where(Subscriber.address.like("many%"))))
        db.session.commit()


def test_each_run_loads_at_most_one_batch(app, poti, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", BATCH)
    _many_subscribers(app, poti, SUBSCRIBERS)
    with app.app_context(), tenant_context(poti):
        notice_id = delivery.add_notice(
            get_topic(EMERGENCY), item="batches", kind="broadcast",
            subject=in_every_language("წყალი"), lines={"ka": ["ხვალ"], "en": ["Tomorrow"]})
        db.session.commit()

    loaded: list[int] = []  # subscriber ids the ORM built, per run
    limits: list[str] = []

    def on_load(target, _context):
        loaded.append(target.id)

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        if "FROM subscriptions" in statement and "ORDER BY subscriptions.subscriber_id" in statement:
            limits.append(statement)

    event.listen(Subscriber, "load", on_load)
    event.listen(Engine, "before_cursor_execute", on_execute)
    per_run = []
    try:
        for _ in range(SUBSCRIBERS // BATCH + 3):
            loaded.clear()
            result = run(app, poti, "send_notice", notice_id=notice_id)
            per_run.append(len(loaded))
            if result == "nothing to send":
                break
    finally:
        event.remove(Subscriber, "load", on_load)
        event.remove(Engine, "before_cursor_execute", on_execute)

    assert max(per_run) == BATCH  # never more than one batch in memory
    assert sum(per_run) == SUBSCRIBERS  # each subscriber loaded once over the whole fan-out
    assert per_run[:5] == [5, 5, 5, 5, 3]
    # The keyset walk over the topic's subscriptions: a LIMIT every time.
    assert len(limits) == 5 and all("LIMIT" in s.upper() for s in limits)
    recipients = [m.recipient for m in outbox(app, poti)]
    assert len(recipients) == len(set(recipients)) == SUBSCRIBERS  # exactly one each
