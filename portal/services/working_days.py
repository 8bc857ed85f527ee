"""Working days of a municipality: Monday to Friday, minus Georgia's public holidays, with the
days its staff added or removed.

Georgia's holidays (the Orthodox Easter days included) come from the ``holidays`` library
(``country_holidays("GE")``), which follows the Labour Code; a municipality adds a day off
the law did not foresee (a one-off government decree) or makes a day a working one
(``WorkingDayException``, edited at ``/<slug>/admin/settings/working-days``). Any feature that
counts deadlines in working days (letters' answer periods, applications) uses this module.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays
from sqlalchemy import Boolean, Date, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped
from portal.extensions import db

#: Saturday and Sunday (``date.weekday()``).
WEEKEND = frozenset({5, 6})
#: The longest span a count may walk (a typo of 10,000 days must not loop for long).
MAX_DAYS = 3660


class WorkingDayException(TenantOwned, Timestamped, Model):
    """A day the municipality's staff declared off (``is_working`` false) or working."""

    __tablename__ = "working_day_exceptions"
    __table_args__ = (UniqueConstraint("tenant_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    is_working: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(200), default="")


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GE", years=year, language="en_US"))


def public_holidays(year: int) -> dict[date, str]:
    """Georgia's public holidays of ``year`` (day → English name)."""
    return dict(_public_holidays(year))


def exceptions() -> dict[date, bool]:
    """The current municipality's own days: day → whether it is a working day."""
    return dict(db.session.execute(select(WorkingDayException.day, WorkingDayException.is_working)).all())


class Calendar:
    """Working days with one municipality's exceptions, read once (or none, for the law alone)."""

    def __init__(self, own: dict[date, bool] | None = None):
        self.own = own or {}

    @classmethod
    def current(cls) -> Calendar:
        """The current municipality's calendar (one query)."""
        return cls(exceptions())

    def is_working_day(self, day: date) -> bool:
        if day in self.own:
            return self.own[day]
        return day.weekday() not in WEEKEND and day not in _public_holidays(day.year)

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        if not 0 <= days <= MAX_DAYS:
            raise ValueError(f"days must be between 0 and {MAX_DAYS}")
        day, left = start, days
        while left:
            day += timedelta(days=1)
            left -= self.is_working_day(day)
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
        if (end - start).days > MAX_DAYS:
            raise ValueError("span too long")
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_working_days(start: date, days: int) -> date:
    """``Calendar.current().add``: the deadline ``days`` working days after ``start``."""
    return Calendar.current().add(start, days)


def is_working_day(day: date) -> bool:
    return Calendar.current().is_working_day(day)


def set_exception(day: date, is_working: bool, note: str = "") -> WorkingDayException:
    """Declare ``day`` working or not for the current municipality; flushes."""
    row = db.session.scalar(select(WorkingDayException).where(WorkingDayException.day == day))
    if row is None:
        row = WorkingDayException(day=day)
        db.session.add(row)
    row.is_working, row.note = is_working, note.strip()[:200]
    db.session.flush()
    return row


def remove_exception(day: date) -> bool:
    """Back to the law's calendar for ``day``; whether there was an exception. Flushes."""
    result = db.session.execute(delete(WorkingDayException).where(WorkingDayException.day == day))
    db.session.flush()
    return bool(result.rowcount)


def listed() -> list[WorkingDayException]:
    return list(db.session.scalars(select(WorkingDayException).order_by(WorkingDayException.day)))
