"""``portal.db.on_commit`` / ``on_rollback``: side effects wait for the transaction's outcome."""

from __future__ import annotations

import logging

from sqlalchemy import text

from portal.db import on_commit, on_rollback
from portal.extensions import db


def _calls():
    calls = []
    return calls, lambda name: (lambda: calls.append(name))


def test_commit_runs_commit_callbacks_only(ctx):
    calls, record = _calls()
    on_commit(record("committed"))
    on_rollback(record("rolled back"))
    assert calls == []
    db.session.commit()
    assert calls == ["committed"]
    db.session.commit()
    assert calls == ["committed"], "a callback runs for its own transaction only"


def test_rollback_runs_rollback_callbacks_only(ctx):
    calls, record = _calls()
    db.session.execute(text("SELECT 1"))
    on_commit(record("committed"))
    on_rollback(record("rolled back"))
    db.session.rollback()
    assert calls == ["rolled back"]
    db.session.commit()
    assert calls == ["rolled back"]


def test_a_savepoint_rolled_back_waits_for_the_outer_transaction(ctx):
    calls, record = _calls()
    db.session.execute(text("SELECT 1"))
    on_commit(record("committed"))
    savepoint = db.session.begin_nested()
    on_rollback(record("rolled back"))
    savepoint.rollback()
    assert calls == []
    db.session.commit()
    assert calls == ["committed"]


def test_a_key_registers_once_per_transaction(ctx):
    calls, record = _calls()
    for _ in range(3):
        on_commit(record("wake"), key=("send_outbox", 1))
    on_commit(record("other"), key=("send_outbox", 2))
    db.session.commit()
    assert calls == ["wake", "other"]


def test_a_failing_callback_is_logged_and_the_others_run(ctx, caplog):
    calls, record = _calls()

    def broken():
        raise RuntimeError("queue down")

    on_commit(broken)
    on_commit(record("after"))
    with caplog.at_level(logging.ERROR, logger="portal.db"):
        db.session.commit()
    assert calls == ["after"]
    assert "queue down" in caplog.text


def test_only_portal_db_listens_for_the_end_of_a_transaction():
    """One mechanism: features call on_commit/on_rollback (docs/architecture.md lists every
    global session listener)."""
    from pathlib import Path

    import portal

    root = Path(portal.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "db.py" and path.parent == root:
            continue
        source = path.read_text(encoding="utf-8")
        for event_name in ('"after_commit"', '"after_soft_rollback"', '"after_rollback"'):
            assert event_name not in source, f"{path}: use portal.db.on_commit/on_rollback"
