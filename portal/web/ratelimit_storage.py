"""Rate-limit counters every worker process on the machine shares, without Redis.

Flask-Limiter counts in a storage of the ``limits`` library. Its memory storage is per process,
so with two gunicorn workers each let through the full limit (20 wrong sign-ins a minute
instead of 10). When ``REDIS_URL`` is set the counters live in Redis (shared by every machine);
otherwise in this storage, a SQLite file under ``instance/``, registered with ``limits``
under the scheme ``portal+sqlite`` (its documented way: a ``Storage`` subclass naming its
``STORAGE_SCHEME``). One portal on several machines needs Redis.

Only the fixed-window strategy (Flask-Limiter's default, the one the portal uses) is offered.
Each increment is one UPSERT statement, atomic across processes; expired rows are swept now
and then.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from itertools import count
from urllib.parse import urlparse

from limits.storage import Storage

SCHEME = "portal+sqlite"
SWEEP_EVERY = 200

_INCREMENT = """
INSERT INTO rate_limits (key, count, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at <= :now THEN :amount ELSE count + :amount END,
    expires_at = CASE WHEN expires_at <= :now THEN :now + :expiry ELSE expires_at END
RETURNING count
"""


def storage_uri(path: str) -> str:
    return f"{SCHEME}://{os.path.abspath(path)}"


class SQLiteStorage(Storage):
    """``limits`` storage in one SQLite file (WAL), one connection per process and thread."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlparse(uri).path if uri else ""
        self._local = threading.local()
        self._calls = count()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        # A connection made before a fork (gunicorn --preload) is not the worker's to use.
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY,"
                         " count INTEGER NOT NULL, expires_at REAL NOT NULL)")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        db = self._db()
        if next(self._calls) % SWEEP_EVERY == 0:
            db.execute("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
        row = db.execute(_INCREMENT, {"key": key, "amount": amount, "now": now,
                                      "expiry": expiry}).fetchone()
        return int(row[0])

    def _row(self, key: str) -> tuple[int, float] | None:
        return self._db().execute(
            "SELECT count, expires_at FROM rate_limits WHERE key = ? AND expires_at > ?",
            (key, time.time())).fetchone()

    def get(self, key: str) -> int:
        row = self._row(key)
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return float(row[1]) if row else time.time()

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM rate_limits").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM rate_limits WHERE key = ?", (key,))
