"""What a petition's page shows of its support: counted signatures per administrative unit and
per day, one grouped query each.

"Counted" is what the public count holds: added by the counting job (``counted_at``) and not
invalidated. So the figures add up to the public count, lag it by nothing, and change only
when ``queries.last_modified`` does (a newly confirmed signature appears with the count).

Units are the municipality's list (tenant.toml ``[[facts.units]]``; signatures store the
Georgian name). A stored name that is not on the list (the list changed, or typed where the
municipality has no list) is counted as "another unit", never shown: it is the signer's text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.blueprints.petitions import verification
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import aware, utcnow
from portal.extensions import db
from portal.i18n import localized, long_date, short_date, zone
from portal.tenancy import current_tenant
from portal.web.charts import ColumnChart, column_chart, share

#: Kinds of rows of the table by unit.
UNIT, OTHER, NOT_NAMED = "unit", "other", "not_named"
#: The longest run of days the chart draws (the latest ones).
MAX_DAYS = 366


def _counted(petition: Petition):
    return (Signature.petition_id == petition.id, Signature.counted_at.is_not(None),
            Signature.invalidated_at.is_(None))


@dataclass(frozen=True)
class UnitRow:
    kind: str
    #: The unit's ka/en names (``kind == UNIT``), else None.
    unit: object | None
    count: int
    percent: float

    @property
    def name(self):
        return localized(self.unit) if self.unit is not None else ""


def by_unit(petition: Petition) -> list[UnitRow]:
    """Counted signatures per unit of the municipality's list (in its order, none left out),
    then "another unit" (when any) and "not named"; [] for a municipality without units."""
    units = list(current_tenant.config.facts.units)
    if not units:
        return []
    counts = dict(db.session.execute(
        select(Signature.unit, func.count()).where(*_counted(petition))
        .group_by(Signature.unit)).all())
    known = {u.ka for u in units}
    other = sum(n for name, n in counts.items() if name and name not in known)
    total = sum(counts.values())
    rows = [UnitRow(UNIT, u, counts.get(u.ka, 0), share(counts.get(u.ka, 0), total))
            for u in units]
    if other:
        rows.append(UnitRow(OTHER, None, other, share(other, total)))
    rows.append(UnitRow(NOT_NAMED, None, counts.get("", 0), share(counts.get("", 0), total)))
    return rows


class utc_hour(FunctionElement):
    """A moment's hour in UTC as "YYYY-MM-DD HH" text, the same on SQLite and PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(utc_hour)
def _utc_hour_sqlite(element, compiler, **kw):
    # SQLite keeps times as UTC text ("2026-03-02 10:00:00.000000").
    return "strftime('%Y-%m-%d %H', " + compiler.process(element.clauses, **kw) + ")"


@compiles(utc_hour, "postgresql")
def _utc_hour_postgresql(element, compiler, **kw):
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(({moment}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    #: Counted signatures up to and including this day.
    total: int


def by_day(petition: Petition, now: datetime | None = None) -> list[Day]:
    """Counted signatures per day of confirmation, in the municipality's time zone, every day
    from the opening of collection to its end (or today), days without signatures included;
    [] when none is counted.

    The database groups by hour in UTC (one expression both databases agree on); the hours
    fold into local days here, so a zone's offset or summer time needs no SQL of its own."""
    hours = db.session.execute(
        select(utc_hour(Signature.confirmed_at), func.count()).where(*_counted(petition))
        .group_by(utc_hour(Signature.confirmed_at))).all()
    if not hours:
        return []
    local = zone()
    per_day: Counter[date] = Counter()
    for hour, count in hours:
        moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        per_day[moment.astimezone(local).date()] += count
    first, last = _span(petition, now or utcnow(), local)
    first, last = min(first, min(per_day)), max(last, max(per_day))
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    days, total = [], sum(n for d, n in per_day.items() if d < first)
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        total += per_day.get(day, 0)
        days.append(Day(day, per_day.get(day, 0), total))
    return days


def _span(petition: Petition, now: datetime, local) -> tuple[date, date]:
    """The days collection ran: from its opening to its close, or today while it runs."""
    today = now.astimezone(local).date()
    opens = aware(petition.collection_opens_at)
    ends = [aware(t) for t in (petition.closed_at, petition.collection_closes_at) if t]
    first = opens.astimezone(local).date() if opens else today
    last = min([today, *(t.astimezone(local).date() for t in ends)])
    return first, max(first, last)


def day_chart(days: list[Day]) -> ColumnChart:
    """The columns of ``by_day``, labelled with dates in the page's language."""
    return column_chart([(short_date(d.day), long_date(d.day), d.count) for d in days])


class PageSupport:
    """The petition page's support sections, each read when a template first shows it: an
    htmx request that re-renders only the signing form runs none of their queries."""

    def __init__(self, petition: Petition) -> None:
        self.petition = petition

    @cached_property
    def units(self) -> list[UnitRow]:
        return by_unit(self.petition)

    @cached_property
    def days(self) -> list[Day]:
        return by_day(self.petition)

    @cached_property
    def day_chart(self) -> ColumnChart | None:
        return day_chart(self.days) if self.days else None

    @cached_property
    def verification(self):
        """``verification.result``: the finished sample's estimate, or None."""
        return verification.result(self.petition)
