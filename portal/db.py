"""The declarative base: naming convention, timestamps, the tenant-owned mixin, and the
transaction hooks (``on_commit``/``on_rollback``) every feature uses for side effects."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.orm import relationship as sa_relationship

# Stable constraint names, so Alembic batch mode on SQLite and PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """A stored moment as an aware UTC datetime: SQLite hands back naive datetimes (every
    stored time is UTC), PostgreSQL aware ones."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


#: Execution option: rows of the *current* tenant only, even under ``all_tenants()``, and none
#: when there is no tenant (``portal.extensions.get_or_404``; honoured by tenancy/scoping.py).
CURRENT_TENANT_ONLY = "current_tenant_only"


class TenantOwned:
    """Mixin for every row that belongs to one municipality.

    Queries on these models are scoped to the current tenant by ``portal.tenancy.scoping``;
    new rows get the current tenant's id stamped at flush.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(
            Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True
        )


def relationship(*args, **kwargs):
    """``sqlalchemy.orm.relationship`` that raises on lazy load unless told otherwise.

    A list page must say what it loads (``selectinload``/``joinedload``), so an N+1 query
    fails loudly in tests instead of slowing production.
    """
    kwargs.setdefault("lazy", "raise_on_sql")
    return sa_relationship(*args, **kwargs)


def install_sqlite_behaviour() -> None:
    """Make SQLite behave like the PostgreSQL we run in production, where it can.

    pysqlite defers BEGIN and so breaks SAVEPOINT; we take over transaction control (the
    SQLAlchemy recipe), begin writing transactions IMMEDIATE (``may_write``), enforce foreign
    keys, and use WAL so readers never block the writer.
    """
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if event.contains(Engine, "connect", _sqlite_connect):
        return
    event.listen(Engine, "connect", _sqlite_connect)
    event.listen(Engine, "begin", _sqlite_begin)
    _sqlite_connect.sqlite3 = sqlite3


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, _sqlite_connect.sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


#: Requests that only read: their transactions begin deferred (see ``_sqlite_begin``).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if may_write() else "BEGIN")


#: True inside ``reading_only()``: the block's SQLite transactions begin deferred.
_reading_only: ContextVar[bool] = ContextVar("portal_reading_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """A block that only reads, wherever it runs: on SQLite its transactions begin deferred,
    so it reads beside a writer instead of waiting for the write lock. The tenant directory's
    refresh needs it: it runs in its own app context (its own connection), also in the middle
    of a job or command that holds the write lock in the same thread (``flask demo load``),
    where waiting for the lock could only end in "database is locked"."""
    token = _reading_only.set(True)
    try:
        yield
    finally:
        _reading_only.reset(token)


def may_write() -> bool:
    """Whether this transaction may write: every one but a GET/HEAD/OPTIONS request's, or one
    begun inside ``reading_only``.

    A deferred BEGIN that reads and then writes must upgrade its read lock to the write lock;
    if another connection wrote meanwhile SQLite answers "database is locked" at once, without
    waiting (busy_timeout cannot help, the snapshot is stale). BEGIN IMMEDIATE takes the write
    lock first and waits for it instead. Requests that only read begin deferred, so under WAL
    they run beside a writer instead of queueing behind it; a GET must not write (HTTP safe
    methods), and one that does may fail under contention (answered 503, web/unavailable.py).
    Jobs, CLI commands and tests run outside a request and begin IMMEDIATE, and so do the GET
    views marked ``writes_on_read`` (a staff page that records its read of personal data).
    """
    from flask import current_app, has_request_context, request

    if _reading_only.get():
        return False
    if not has_request_context() or request.method not in READ_ONLY_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "writes_on_read", False))


def writes_on_read(view):
    """Mark a GET view that writes (``audit.record_read``): its transaction begins IMMEDIATE
    on SQLite, waiting for the write lock instead of failing when the job worker writes."""
    view.writes_on_read = True
    return view


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: what autogenerate compares.

    The search index (FTS5 virtual table and shadow tables, the PostgreSQL tsvector table) is
    made by hand-written SQL in its migration and is not in the metadata; see sessions/search.
    """
    if type_ == "table" and name and name.startswith("search_"):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and str(table.name).startswith("search_"))


# --- Pooled connections: checked only after a rest ---------------------------------------

#: A pooled connection that rested at least this long is pinged before use; one in steady
#: use is not. A PostgreSQL restart takes longer than this, so a connection that was in the
#: pool across one is always pinged and replaced.
PING_AFTER_IDLE_SECONDS = 1.0


def install_idle_ping(engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ping a pooled connection on checkout only if it rested ``idle_seconds`` in the pool
    (``create_app`` installs it on every engine but SQLite's, which needs no ping).

    ``pool_pre_ping`` pings on every checkout: one more round trip per transaction, a tenth
    of a busy worker's time (docs/performance.md, petition surge). Here a connection in
    steady use goes straight to work; one that rested is pinged, and a dead one is replaced
    before the request sees it (``DisconnectionError`` makes the pool reconnect). A server
    lost while its connection was in use fails that request (a 503, web/unavailable.py) and
    SQLAlchemy then renews every connection of the pool.
    """
    import time

    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "checkin")
    def _rested_since(dbapi_connection, record) -> None:
        if dbapi_connection is not None:
            record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_connection, record, proxy) -> None:
        checked_in = record.info.get("checked_in")
        if checked_in is None or time.monotonic() - checked_in < idle_seconds:
            return  # a new connection, or one in steady use
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:  # the pool reconnects
            raise DisconnectionError(f"a pooled connection is gone: {error}") from error


# --- Work that must wait for the transaction's outcome ---------------------------------------

log = logging.getLogger(__name__)

_ON_COMMIT = "portal.on_commit"
_ON_ROLLBACK = "portal.on_rollback"


def on_commit(fn: Callable[[], object], *, key: Hashable | None = None, session=None) -> None:
    """Call ``fn()`` once the current transaction commits; forget it if it rolls back.

    For side effects outside the database that must not happen for a change that never was:
    queueing a job, waking the delivery worker, removing a deleted row's file, dropping a
    cache. ``key`` registers a callback once per transaction (the last registration wins), so
    a hundred messages queued in one transaction wake delivery once. A callback that raises
    is logged and the others still run: the commit has happened and cannot be taken back.
    """
    _callbacks(session, _ON_COMMIT)[_key(key)] = fn


def on_rollback(fn: Callable[[], object], *, key: Hashable | None = None, session=None) -> None:
    """Call ``fn()`` if the current transaction rolls back; forget it once it commits.

    A savepoint rolled back inside a larger transaction is not the outcome yet: the callbacks
    wait for the outermost transaction (as ``on_commit``'s do).
    """
    _callbacks(session, _ON_ROLLBACK)[_key(key)] = fn


def _key(key: Hashable | None) -> Hashable:
    return object() if key is None else key


def _callbacks(session, name: str) -> dict:
    if session is None:
        from portal.extensions import db

        session = db.session
    return session.info.setdefault(name, {})


def _run(callbacks: dict | None) -> None:
    for fn in (callbacks or {}).values():
        try:
            fn()
        except Exception:  # noqa: BLE001 - see on_commit
            log.exception("transaction hook %r failed", fn)


def _after_commit(session) -> None:
    session.info.pop(_ON_ROLLBACK, None)
    _run(session.info.pop(_ON_COMMIT, None))


def _after_soft_rollback(session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint inside a larger transaction: the outcome is not known yet
    session.info.pop(_ON_COMMIT, None)
    _run(session.info.pop(_ON_ROLLBACK, None))


def install_transaction_hooks() -> None:
    """The only ``after_commit``/``after_soft_rollback`` listeners: they run ``on_commit`` and
    ``on_rollback`` callbacks (docs/architecture.md lists every global listener)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
