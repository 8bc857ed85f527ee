"""The database is down: every page, /healthz included, answers a localised 503 within a couple
of seconds, whether PostgreSQL refuses connections or accepts them and never answers."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from portal import create_app

PAGES = ["/healthz", "/", "/poti/", "/poti/sessions/", "/poti/admin/", "/poti/accounts/sign-in"]
#: psycopg's shortest connect timeout is 2 s; a page may try once more (a rested connection's
#: ping, the directory).
QUICK = 6.0


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app_on(port: int, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://portal@127.0.0.1:{port}/portal")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    return create_app({"PROPAGATE_EXCEPTIONS": False})


def _assert_unavailable(client, path: str, *, english: bool = False) -> None:
    started = time.monotonic()
    response = client.get(path)
    elapsed = time.monotonic() - started
    assert response.status_code == 503, (path, response.status_code)
    assert elapsed < QUICK, (path, elapsed)
    assert response.headers["Retry-After"]
    assert "no-store" in response.headers["Cache-Control"]
    if english:
        assert '<html lang="en">' in response.text and "temporarily unavailable" in response.text
    else:
        assert '<html lang="ka">' in response.text and "დროებით" in response.text


@pytest.mark.no_db_rollback  # the rolled-back test session would answer from the test database
@pytest.mark.parametrize("server", ["silent_server", "closed_port"])
def test_every_page_answers_503_quickly(server, request, monkeypatch):
    client = _app_on(request.getfixturevalue(server), monkeypatch).test_client()
    for path in PAGES:
        _assert_unavailable(client, path)
    client.set_cookie("lang", "en")
    _assert_unavailable(client, "/poti/sessions/", english=True)


@pytest.mark.no_db_rollback
def test_503_when_the_municipalities_are_known_but_the_database_is_gone(app, closed_port,
                                                                       monkeypatch):
    """The tenant directory still answers from its cache (here: the test database), every
    query of the page fails; a signed-in visitor's session is not looked at either."""
    down = _app_on(closed_port, monkeypatch)
    down.extensions["tenant_directory"] = app.extensions["tenant_directory"]
    client = down.test_client()
    assert client.get("/").status_code == 200  # the list of municipalities needs only the cache
    for path in ["/healthz", "/poti/", "/poti/sessions/"]:
        _assert_unavailable(client, path)
    with client.session_transaction() as session:
        session["_user_id"] = "1:0:a-session-key"  # read from the database: it must not be
    _assert_unavailable(client, "/poti/admin/")
    response = client.post("/poti/accounts/sign-in", data={"email": "a@example.org"})
    assert response.status_code == 503


def test_database_timeouts_come_from_the_environment(monkeypatch):
    from portal.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.internal/portal")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "4")
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "12.5")
    args = load_config("/tmp")["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    assert args == {"connect_timeout": 4, "options": "-c statement_timeout=12500"}
    monkeypatch.delenv("DATABASE_CONNECT_TIMEOUT")
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT")
    args = load_config("/tmp")["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    assert args == {"connect_timeout": 3, "options": "-c statement_timeout=30000"}
