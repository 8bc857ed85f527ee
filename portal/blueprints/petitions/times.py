"""Stored times as aware UTC datetimes (SQLite hands back naive UTC, PostgreSQL aware)."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
