"""The search form's choices for one municipality: its bodies and the years that have sessions.

Every full search page offers them, and they change only when a clerk adds a body or a
session in a new year, yet reading them costs two queries (1.5 ms of a 9 ms page on 5,000
sessions, docs/performance.md). So each process keeps them per municipality for the tenant
directory's time (``PORTAL_TENANT_CACHE_SECONDS``: another worker sees a change within it, as
it sees a new municipality), and drops them at once when a write to bodies or sessions
flushes, commits or rolls back in this process.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.models import Body, CouncilSession
from portal.db import on_commit, on_rollback
from portal.tenancy import current_tenant


@dataclass(frozen=True)
class BodyChoice:
    """What the form shows of a body (the ``local_name`` filter reads the names)."""

    id: int
    name_ka: str
    name_en: str


@dataclass(frozen=True)
class Choices:
    bodies: tuple[BodyChoice, ...]
    years: tuple[int, ...]


class ChoicesCache:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[int, tuple[float, Choices]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: int) -> Choices | None:
        entry = self._entries.get(tenant_id)
        if entry is None or time.monotonic() - entry[0] >= self.ttl:
            return None
        return entry[1]

    def put(self, tenant_id: int, choices: Choices) -> None:
        with self._lock:
            self._entries[tenant_id] = (time.monotonic(), choices)

    def drop(self, tenant_ids) -> None:
        with self._lock:
            for tenant_id in tenant_ids:
                self._entries.pop(tenant_id, None)


def form_choices() -> Choices:
    """The current municipality's bodies (in their order) and years (newest first)."""
    cache: ChoicesCache = current_app.extensions["sessions_choices"]
    tenant_id = current_tenant.id
    choices = cache.get(tenant_id)
    if choices is None:
        choices = Choices(
            tuple(BodyChoice(b.id, b.name_ka, b.name_en) for b in queries.bodies()),
            tuple(queries.years()))
        cache.put(tenant_id, choices)
    return choices


def _tenants_touched(session: Session) -> set[int]:
    return {obj.tenant_id for obj in (*session.new, *session.dirty, *session.deleted)
            if isinstance(obj, Body | CouncilSession) and obj.tenant_id is not None}


def _drop_everywhere(tenant_ids) -> None:
    from flask import has_app_context

    if tenant_ids and has_app_context():
        cache = current_app.extensions.get("sessions_choices")
        if cache is not None:
            cache.drop(tenant_ids)


def _after_flush(session: Session, flush_context) -> None:
    touched = _tenants_touched(session)
    if touched:
        _drop_everywhere(touched)  # this transaction's own pages see its writes
        # Dropped again once the transaction ends: a page that read the old rows meanwhile
        # may have cached them (commit), or the cache may hold rows that never were (rollback).
        for tenant_id in touched:
            key = ("sessions_choices", tenant_id)
            on_commit(lambda t=tenant_id: _drop_everywhere({t}), key=key, session=session)
            on_rollback(lambda t=tenant_id: _drop_everywhere({t}), key=key, session=session)


def init_choices(app) -> None:
    app.extensions["sessions_choices"] = ChoicesCache(
        float(app.config.get("PORTAL_TENANT_CACHE_SECONDS", 10)))
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
