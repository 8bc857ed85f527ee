"""SQLite under gunicorn: concurrent edits from several clients, through two worker processes,
all succeed. A deferred BEGIN that reads and then writes cannot wait for the write lock
("database is locked"); write transactions begin IMMEDIATE (portal/db.py)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from tests.live import Client, make_live_staff, sign_in, start_server, stop_server

CLIENTS = 4
EDITS = 15


@pytest.mark.no_db_rollback
def test_concurrent_edits_through_two_workers(tmp_path, tmp_path_factory):
    server, process, log_path = start_server(tmp_path, tmp_path_factory)
    try:
        database = tmp_path / "e2e.db"
        with sqlite3.connect(database) as conn:
            session_id = conn.execute(
                "SELECT s.id FROM council_sessions s JOIN tenants t ON t.id = s.tenant_id"
                " WHERE t.slug = 'poti' ORDER BY s.id LIMIT 1").fetchone()[0]
            before = conn.execute("SELECT count(*) FROM council_agenda_items WHERE session_id = ?",
                                  (session_id,)).fetchone()[0]
        clients = []
        for user in make_live_staff(tmp_path, ["clerk"], CLIENTS):
            client = Client(server)
            sign_in(client, user)
            clients.append(client)
        codes: list[int] = []
        errors: list[BaseException] = []
        start = threading.Barrier(CLIENTS)

        def edit(number: int, client: Client) -> None:
            try:
                page = f"/poti/admin/sessions/{session_id}"
                token = client.token(page)
                start.wait()
                for edit in range(EDITS):
                    status, _, _ = client.post(f"{page}/agenda", {
                        "csrf_token": token, "agenda-title": f"Item {number}-{edit}",
                        "agenda-reporter_id": "0", "agenda-start": ""})
                    codes.append(status)
            except BaseException as error:  # noqa: B036 - reported below
                errors.append(error)

        threads = [threading.Thread(target=edit, args=pair) for pair in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert sorted(set(codes)) == [303], codes
        with sqlite3.connect(database) as conn:
            rows = conn.execute("SELECT title, position FROM council_agenda_items"
                                " WHERE session_id = ?", (session_id,)).fetchall()
        titles = {title for title, _ in rows}
        assert {f"Item {n}-{e}" for n in range(CLIENTS) for e in range(EDITS)} <= titles
        assert len(rows) == before + CLIENTS * EDITS
        assert len({position for _, position in rows}) == len(rows)  # no position taken twice
        _reads_beside_a_writer(database, clients[0], session_id)
    finally:
        stop_server(process, log_path)


def _reads_beside_a_writer(database, client: Client, session_id: int) -> None:
    """While another connection holds the write lock, pages that only read still answer at
    once (GET begins deferred), and an edit waits for the lock instead of failing."""
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    page = f"/poti/admin/sessions/{session_id}"
    token = client.token(page)
    done: list[int] = []
    waiting = threading.Thread(target=lambda: done.append(client.post(f"{page}/agenda", {
        "csrf_token": token, "agenda-title": "After the lock", "agenda-reporter_id": "0",
        "agenda-start": ""})[0]))
    try:
        started = time.monotonic()
        assert client.get("/poti/sessions/")[0] == 200
        assert client.get(page)[0] == 200
        assert time.monotonic() - started < 10  # not the 30 s busy timeout
        waiting.start()
        time.sleep(2)
        assert not done  # the edit waits for the lock ...
    finally:
        writer.rollback()
        writer.close()
    waiting.join(timeout=60)
    assert done == [303]  # ... and goes through once it is free


def test_a_read_only_block_reads_beside_a_writer_of_the_same_thread(app, tmp_path):
    """The tenant directory's refresh (its own connection) in the middle of ``flask demo load``
    (which holds the write lock): BEGIN IMMEDIATE would wait for the lock it can never get."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from portal.db import reading_only

    engine = create_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    try:
        with engine.begin() as setup:
            setup.execute(text("CREATE TABLE t (n INTEGER)"))
        with engine.connect() as writer, engine.connect() as reader:
            reader.connection.dbapi_connection.execute("PRAGMA busy_timeout=200")  # no BEGIN
            writer.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock
            with reading_only():
                assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0
                reader.rollback()
            with pytest.raises(OperationalError, match="locked"):
                reader.execute(text("SELECT count(*) FROM t"))  # BEGIN IMMEDIATE
            reader.rollback()
            writer.commit()
    finally:
        engine.dispose()


def test_get_views_that_record_a_read_begin_immediate(app):
    """A staff page that audits its read of personal data writes on GET: its transaction takes
    the write lock first (waits for it) instead of failing to upgrade a read."""
    from portal.db import may_write

    def begins_immediate(path: str, method: str = "GET") -> bool:
        with app.test_request_context(path, method=method):
            return may_write()

    assert begins_immediate("/poti/admin/grants/applications/1")
    assert begins_immediate("/poti/admin/grants/applications/1/attachments/2")
    assert begins_immediate("/poti/admin/consultations/comments/3")
    assert begins_immediate("/poti/admin/letters/mayor/4")
    assert begins_immediate("/poti/admin/letters/chair/4/attachments/5")
    assert begins_immediate("/poti/admin/services/requests/6")
    assert begins_immediate("/poti/admin/petitions/moderation/7")
    assert begins_immediate("/poti/admin/petitions/7/signatures.csv")
    assert begins_immediate("/poti/admin/subscriptions/subscribers.csv")
    assert not begins_immediate("/poti/admin/letters/mayor/")
    assert not begins_immediate("/poti/admin/consultations/comments")
    assert not begins_immediate("/poti/consultations/")
    assert begins_immediate("/poti/consultations/3", "POST")
