"""Shared fixtures: one migrated database per run, Poti and Abasha always loaded, every test
in a transaction that is rolled back, on SQLite by default or PostgreSQL with
``TEST_DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text

os.environ.setdefault("PORTAL_ENV", "testing")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Under pytest-xdist (``-n 2``) each worker gets databases of its own: the PostgreSQL
    database ``<name>_<worker>`` and the Redis database ``<n> + worker number``. Rewriting the
    environment here, before any fixture reads it, also moves every sibling a test derives
    from these URLs (``<name>_flow``, ``<name>_live``, …) to the worker's own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    if os.environ.get("TEST_DATABASE_URL"):
        os.environ["TEST_DATABASE_URL"] = _worker_database(os.environ["TEST_DATABASE_URL"],
                                                           worker)
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _worker_redis(os.environ["REDIS_URL"], number)


def _worker_database(url: str, worker: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _worker_redis(url: str, number: int) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = int(parts.path.lstrip("/") or 0)
    # Redis has 16 databases (0–15); stay below the one test_shared_limits falls back on.
    return urlunsplit(parts._replace(path=f"/{(base + number) % 15}"))


def _reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db')}/test.db"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.loader import load_tenants

    os.environ["DATABASE_URL"] = database_url
    os.environ["PORTAL_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    from portal.blueprints.sessions.sources.recorded import recorded_clients

    # ARCHIVE_CLIENTS: the archive's admin and jobs answer from tests/recorded/, never the network.
    app = create_app({"TESTING": True, "PORTAL_TENANT_CACHE_SECONDS": 3600,
                      "ARCHIVE_CLIENTS": recorded_clients})
    with app.app_context():
        upgrade()
        load_tenants(PROJECT_ROOT / "tenants")
        db.session.commit()
        db.session.remove()
        # A run with REDIS_URL counts in Redis, which outlives the run: start from zero, or a
        # second run within a limit's window would find the first one's hits.
        from portal.extensions import limiter

        limiter.reset()
    yield app
    with app.app_context():
        db.engine.dispose()


class _ConnectionBoundSession(FlaskSession):
    # Flask-SQLAlchemy picks the engine per table, which would bypass the test's connection.
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Run each test inside a transaction that is rolled back, whatever the test commits.

    No app context stays pushed during the test, so each client request gets a fresh one
    (and a fresh ``g``), as in production; use the ``ctx`` fixture for direct DB work.
    """
    if "no_db_rollback" in request.keywords:
        yield
        return
    from portal.extensions import db

    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint",
         "class_": _ConnectionBoundSession}
    )
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        app.extensions["tenant_directory"].invalidate()


@pytest.fixture
def db_connection(_transaction):
    """The connection holding the test's transaction, for a test that must undo its own steps.

    A long test that makes thousands of writing requests piles up one lock per savepoint
    until its transaction ends (PostgreSQL: "out of shared memory"); rolling back a savepoint
    of this connection after each batch frees them.
    """
    return _transaction


@pytest.fixture
def ctx(app):
    """An application context for tests that use the database directly."""
    with app.app_context() as context:
        yield context


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def poti(app):
    return app.extensions["tenant_directory"].by_slug("poti")


@pytest.fixture
def abasha(app):
    return app.extensions["tenant_directory"].by_slug("abasha")


@pytest.fixture
def cached(app, monkeypatch):
    """The page caches on, as in production, and empty before and after the test."""
    from portal.web.pagecache import get_page_cache

    monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 10)
    cache = get_page_cache(app)
    cache.clear()
    yield cache
    cache.clear()


# Staff accounts (issue 4): fixtures shared by tests/accounts, tests/admin and the isolation test.
from tests.staff_fixtures import editor, staff  # noqa: E402,F401
