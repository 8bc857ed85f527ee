"""PostgreSQL's pooled connections are pinged only after a rest in the pool
(``portal.db.install_idle_ping``), not on every checkout (``pool_pre_ping``): a connection in
steady use goes straight to work, one that rested and died is replaced before a request sees
it. Needs PostgreSQL (``TEST_DATABASE_URL``); the configuration test runs everywhere."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from portal.db import install_idle_ping

REST = 0.5


def test_postgres_engines_recycle_instead_of_pinging_every_checkout(monkeypatch):
    from portal.config import POOL_RECYCLE_SECONDS, load_config

    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.internal/portal")
    options = load_config("/tmp")["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "pool_pre_ping" not in options and options["pool_recycle"] == POOL_RECYCLE_SECONDS
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/portal.db")
    assert "pool_recycle" not in load_config("/tmp")["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, pool_size=1, max_overflow=0)
    install_idle_ping(engine, idle_seconds=REST)
    killer = create_engine(url, poolclass=NullPool)
    yield engine, killer
    engine.dispose()
    killer.dispose()


def _pings(engine, monkeypatch) -> list[int]:
    calls: list[int] = []
    original = engine.dialect.do_ping

    def counted(dbapi_connection):
        calls.append(1)
        return original(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return calls


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(killer, pid: int) -> None:
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        conn.commit()
    time.sleep(0.05)


def test_a_connection_in_steady_use_is_not_pinged(postgres, monkeypatch):
    engine, _ = postgres
    pings = _pings(engine, monkeypatch)
    pids = {_backend(engine) for _ in range(20)}
    assert len(pids) == 1 and pings == []
    time.sleep(REST * 1.5)
    assert _backend(engine) in pids and len(pings) == 1  # rested: pinged, alive, kept


def test_a_rested_connection_that_died_is_replaced_before_use(postgres):
    engine, killer = postgres
    pid = _backend(engine)
    _terminate(killer, pid)
    time.sleep(REST * 1.5)
    assert _backend(engine) != pid  # no error: the ping found it dead, the pool reconnected


def test_without_a_rest_a_dead_connection_fails_once_then_the_pool_recovers(postgres):
    """What the ping no longer covers: a server lost while the connection was in steady use.
    That request fails (a 503 in the portal); SQLAlchemy renews the pool for the next."""
    engine, killer = postgres
    pid = _backend(engine)
    _terminate(killer, pid)
    with pytest.raises(OperationalError):
        _backend(engine)
    assert _backend(engine) != pid


def test_the_portal_pings_after_a_rest_on_postgres_only(app, database_url):
    from portal.extensions import db

    with app.app_context():
        listeners = len(db.engine.pool.dispatch.checkout)
    assert listeners == (1 if database_url.startswith("postgres") else 0)
