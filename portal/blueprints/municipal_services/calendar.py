"""A department's calendar: which times it receives people on a day, and how many places are
left at each. Opening hours per weekday and the slot length come from the department; days off
from the municipality's working days (Georgian public holidays and its own exceptions,
``services/working_days``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.municipal_services.models import WEEKDAYS, Department, Slot
from portal.extensions import db
from portal.i18n import to_local
from portal.services.working_days import Calendar


@dataclass(frozen=True)
class Time:
    day: date
    minute: int
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def label(self) -> str:
        return clock(self.minute)

    @property
    def value(self) -> str:
        """The form's value: ``YYYY-MM-DD@HH:MM``."""
        return f"{self.day.isoformat()}@{self.label}"


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_clock(text: str) -> int | None:
    """Minutes after midnight of ``HH:MM``, or None."""
    parts = (text or "").strip().split(":")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) == 2 for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def parse_value(value: str) -> tuple[date, int] | None:
    """(day, minute) from a form's ``YYYY-MM-DD@HH:MM``, or None."""
    day_text, _, time_text = (value or "").partition("@")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return None
    minute = parse_clock(time_text)
    return None if minute is None else (day, minute)


def opening(department: Department, day: date) -> tuple[int, int] | None:
    """(opens, closes) in minutes on ``day``'s weekday, or None when closed that weekday."""
    hours = (department.hours or {}).get(WEEKDAYS[day.weekday()])
    if not hours or len(hours) != 2:
        return None
    opens, closes = parse_clock(hours[0]), parse_clock(hours[1])
    if opens is None or closes is None or closes <= opens:
        return None
    return opens, closes


def starts(department: Department, day: date, working: Calendar | None = None) -> list[int]:
    """The minutes at which slots start on ``day`` (none on a day off)."""
    working = working or Calendar.current()
    hours = opening(department, day)
    if hours is None or not working.is_working_day(day):
        return []
    length = max(5, department.slot_minutes or 30)
    return list(range(hours[0], hours[1] - length + 1, length))


def window(department: Department, now: datetime) -> tuple[date, date]:
    """The first and last day one may book: from today to ``days_ahead`` days on."""
    today = to_local(now).date()
    return today, today + timedelta(days=max(0, department.days_ahead))


def times(department: Department, day: date, now: datetime,
          working: Calendar | None = None) -> list[Time]:
    """Every time of ``day`` still to come in the booking window, with its places (one query)."""
    first, last = window(department, now)
    if not first <= day <= last:
        return []
    local_now = to_local(now)
    taken = dict(db.session.execute(select(Slot.start_minute, Slot.taken).where(
        Slot.department_id == department.id, Slot.day == day)).all())
    capacity = max(1, department.slot_capacity)
    return [Time(day, minute, capacity, taken.get(minute, 0))
            for minute in starts(department, day, working)
            if day > local_now.date() or minute > local_now.hour * 60 + local_now.minute]


def open_days(department: Department, now: datetime, limit: int = 14) -> list[date]:
    """The next days (at most ``limit``) with a time still to come."""
    working = Calendar.current()
    first, last = window(department, now)
    found, day = [], first
    while day <= last and len(found) < limit:
        if times(department, day, now, working):
            found.append(day)
        day += timedelta(days=1)
    return found


def is_bookable(department: Department, day: date, minute: int, now: datetime) -> bool:
    return any(t.minute == minute for t in times(department, day, now))
