"""The tenant directory refreshes in its own app context (its own session and connection) in the
middle of a caller whose session may hold SQLite's write lock (a demo loader, a job): its read
must not wait for that lock (``db.reading_only``), or it fails after the busy timeout."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.db import may_write, reading_only
from portal.extensions import db
from portal.tenancy import all_tenants, get_directory
from portal.tenancy.models import Tenant


@pytest.mark.no_db_rollback
def test_refresh_reads_beside_the_callers_write_transaction(app):
    directory = get_directory(app)
    with app.app_context(), all_tenants():
        # Outside a request a transaction begins IMMEDIATE: this session now holds the lock.
        db.session.scalar(select(Tenant.id).limit(1))
        try:
            directory.invalidate()
            started = time.monotonic()
            assert directory.by_slug("poti") is not None
            assert time.monotonic() - started < 10  # not the 30 s busy timeout
        finally:
            db.session.rollback()


def test_reading_only_begins_deferred(app):
    with app.app_context():
        assert may_write()
        with reading_only():
            assert not may_write()
        assert may_write()
