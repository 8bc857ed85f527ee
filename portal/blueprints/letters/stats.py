"""The public statistics of a municipality's letters, per month: received, answered, the
median time to answer, the share answered on time, and what writers said about the answers.
Nothing personal: counts and durations only.

A letter counts as received in the month it arrived and as answered in the month it was first
answered or forwarded (months in the municipality's time zone). On time: answered no later
than its due date. Time to answer: calendar days from arrival to that first answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from sqlalchemy import select

from portal.blueprints.letters.models import FEEDBACK, Letter
from portal.extensions import db
from portal.i18n import to_local


@dataclass
class Month:
    month: date
    received: int = 0
    answered: int = 0
    on_time: int = 0
    days: list[float] = field(default_factory=list)
    feedback: Counter = field(default_factory=Counter)

    @property
    def median_days(self) -> float | None:
        return round(median(self.days), 1) if self.days else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None

    @property
    def feedback_total(self) -> int:
        return sum(self.feedback.values())


def _month(day: date) -> date:
    return day.replace(day=1)


def monthly(recipient: str | None = None) -> tuple[list[Month], Month]:
    """(months newest first, the whole period) for the current municipality, one query."""
    statement = select(Letter.received_at, Letter.answered_at, Letter.due_on, Letter.feedback)
    if recipient:
        statement = statement.where(Letter.recipient == recipient)
    months: dict[date, Month] = {}
    total = Month(date.min)
    for received_at, answered_at, due_on, feedback in db.session.execute(statement):
        arrived = to_local(received_at)
        _at(months, _month(arrived.date())).received += 1
        total.received += 1
        if answered_at is None:
            continue
        answered = to_local(answered_at)
        for bucket in (_at(months, _month(answered.date())), total):
            bucket.answered += 1
            bucket.on_time += answered.date() <= due_on
            bucket.days.append((answered - arrived).total_seconds() / 86400)
            if feedback in FEEDBACK:
                bucket.feedback[feedback] += 1
    return sorted(months.values(), key=lambda m: m.month, reverse=True), total


def _at(months: dict[date, Month], key: date) -> Month:
    if key not in months:
        months[key] = Month(key)
    return months[key]
