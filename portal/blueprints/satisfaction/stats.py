"""The figures of satisfaction for the current municipality: invitations sent, answers, the
average rating and the share satisfied (4 or 5), by kind, by department, by quarter and by
year, and each kind and department year against year. Nothing personal: counts only. An
invitation counts in the quarter and year it was sent (the municipality's time zone); "limited"
and pending ones were never sent and do not count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.blueprints.satisfaction.models import Invitation
from portal.extensions import db
from portal.i18n import to_local


@dataclass
class Bucket:
    key: object = None
    invited: int = 0
    answered: int = 0
    ratings: Counter = field(default_factory=Counter)

    def add(self, rating: int | None) -> None:
        self.invited += 1
        if rating is not None:
            self.answered += 1
            self.ratings[rating] += 1

    @property
    def average(self) -> float | None:
        total = sum(self.ratings.values())
        return round(sum(r * n for r, n in self.ratings.items()) / total, 2) if total else None

    @property
    def satisfied_percent(self) -> int | None:
        total = sum(self.ratings.values())
        return round(100 * (self.ratings[4] + self.ratings[5]) / total) if total else None

    @property
    def response_percent(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None


@dataclass
class Summary:
    total: Bucket
    by_kind: list[Bucket]
    by_department: list[Bucket]
    #: Quarters oldest first, keyed by their first day.
    by_quarter: list[Bucket]
    #: Years oldest first (every year, whatever ``year`` was asked for).
    by_year: list[Bucket]
    years: list[int]
    #: (kind, year) → the figures of that kind in that year (every year).
    by_kind_year: dict[tuple[str, int], Bucket] = field(default_factory=dict)
    #: (department, year) → the figures of that department in that year (every year).
    by_department_year: dict[tuple[str, int], Bucket] = field(default_factory=dict)
    #: Every department that had an invitation sent, in any year (most invited first).
    departments: list[str] = field(default_factory=list)


def _quarter(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def summary(year: int | None = None) -> Summary:
    """The figures, for ``year`` only when given (``by_year`` always covers every year); one
    query."""
    rows = db.session.execute(select(
        Invitation.kind, Invitation.department, Invitation.sent_at, Invitation.rating)
        .where(Invitation.status == "sent", Invitation.sent_at.is_not(None)))
    total = Bucket("total")
    kinds: dict[str, Bucket] = {}
    departments: dict[str, Bucket] = {}
    quarters: dict[date, Bucket] = {}
    years: dict[int, Bucket] = {}
    kind_years: dict[tuple[str, int], Bucket] = {}
    department_years: dict[tuple[str, int], Bucket] = {}
    for kind, department, sent_at, rating in rows:
        day = to_local(sent_at).date()
        years.setdefault(day.year, Bucket(day.year)).add(rating)
        kind_years.setdefault((kind, day.year), Bucket((kind, day.year))).add(rating)
        department_years.setdefault((department or "", day.year),
                                    Bucket((department or "", day.year))).add(rating)
        if year is not None and day.year != year:
            continue
        total.add(rating)
        kinds.setdefault(kind, Bucket(kind)).add(rating)
        departments.setdefault(department or "", Bucket(department or "")).add(rating)
        key = _quarter(day)
        quarters.setdefault(key, Bucket(key)).add(rating)
    return Summary(
        total=total,
        by_kind=sorted(kinds.values(), key=lambda b: b.key),
        by_department=sorted(departments.values(), key=lambda b: (-b.invited, b.key)),
        by_quarter=[quarters[k] for k in sorted(quarters)],
        by_year=[years[k] for k in sorted(years)],
        years=sorted(years), by_kind_year=kind_years, by_department_year=department_years,
        departments=_most_invited_first(department_years))


def _most_invited_first(department_years: dict[tuple[str, int], Bucket]) -> list[str]:
    invited: Counter = Counter()
    for (department, _year), bucket in department_years.items():
        invited[department] += bucket.invited
    return sorted(invited, key=lambda d: (-invited[d], d))


def comments(state: str, *, public: bool = False):
    """The statement listing answered invitations with a comment in ``state``, newest first
    (``public``: approved ones only)."""
    statement = select(Invitation).where(Invitation.comment != "", Invitation.answered_at.is_not(None))
    statement = statement.where(Invitation.comment_state == ("approved" if public else state))
    return statement.order_by(Invitation.answered_at.desc(), Invitation.id.desc())


def new_comments() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.comment_state == "new")) or 0
