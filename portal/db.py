"""The declarative base: naming convention, timestamps, and the tenant-owned mixin."""

from __future__ import annotations

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


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


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
    SQLAlchemy recipe), enforce foreign keys, and use WAL so readers never block the writer.
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


def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: what autogenerate compares.

    The search index (FTS5 virtual table and shadow tables, the PostgreSQL tsvector table) is
    made by hand-written SQL in its migration and is not in the metadata; see sessions/search.
    """
    if type_ == "table" and name and name.startswith("search_"):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and str(table.name).startswith("search_"))
