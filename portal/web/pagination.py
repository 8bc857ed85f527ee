"""Lists in pages: one ``Page`` shape, built by one query (plus one COUNT when asked).

``paginate(statement, page, per_page)`` runs a COUNT and the page's query, so the pager can
say "page 2 of 7"; ``count=False`` runs only the page's query with one row of look-ahead
(prev/next, no total), for long lists where a COUNT costs more than it tells.
``paginate_keyset`` pages newest-first by a unique column (``?before=<id>``) without OFFSET,
for logs that grow while someone reads them. ``page_arg()`` reads ``?page`` safely (never an
error). Templates draw a ``Page`` with ``_macros/pagination.html``: ``pager`` and ``load_more``.
Every query goes through the session, so tenant scoping applies to the COUNT too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select

from portal.extensions import db
from portal.web.inputs import int_arg

#: The highest page number a query string may ask for (a page past the last is just empty).
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """One page of a list. ``total`` is known when the list was counted; ``next_cursor``
    (keyset pages) is what ``?before=`` takes to show the next, older, page."""

    items: Sequence[Any]
    number: int = 1
    per_page: int = 20
    has_next: bool = False
    total: int | None = None
    next_cursor: Any = None

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def prev_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def pages(self) -> int | None:
        """How many pages there are (at least one), when the list was counted."""
        return None if self.total is None else max(1, ceil(self.total / self.per_page))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def page_arg(name: str = "page", *, maximum: int = MAX_PAGE, source=None) -> int:
    """``?page`` as a page number: 1 when missing or unusable, clamped to 1..maximum."""
    return int_arg(name, 1, minimum=1, maximum=maximum, source=source)


def _rows(statement: Select) -> list:
    result = db.session.execute(statement)
    return list(result.scalars() if len(statement.column_descriptions) == 1 else result.all())


def paginate(statement: Select, page: int, per_page: int, *, count: bool = True,
             count_statement: Select | None = None) -> Page:
    """Page ``page`` (from 1) of ``statement`` (ordered by the caller; one entity or column
    gives the objects, several give rows).

    ``count``: one COUNT (``count_statement`` when the caller has a cheaper one, else a
    COUNT over ``statement`` as a subquery) and one query for the page. Without: one query
    reading one row past the page, to know whether there is a next one."""
    page = max(1, page)
    offset = (page - 1) * per_page
    if not count:
        rows = _rows(statement.offset(offset).limit(per_page + 1))
        return Page(rows[:per_page], page, per_page, has_next=len(rows) > per_page)
    if count_statement is None:
        count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.scalar(count_statement) or 0
    rows = _rows(statement.offset(offset).limit(per_page))
    return Page(rows, page, per_page, has_next=offset + len(rows) < total, total=total)


def paginate_keyset(statement: Select, column, before: int | None, per_page: int,
                    *, cursor: Callable[[Any], Any] | None = None) -> Page:
    """Newest first by ``column`` (unique, e.g. an id), the rows below ``before``: one query,
    no OFFSET, so a page stays right while new rows arrive. ``next_cursor`` is the last
    shown row's value (``cursor(row)``, by default its attribute named like ``column``)."""
    if before is not None:
        statement = statement.where(column < before)
    rows = _rows(statement.order_by(column.desc()).limit(per_page + 1))
    has_next = len(rows) > per_page
    items = rows[:per_page]
    key = cursor or (lambda row: getattr(row, column.key))
    return Page(items, 1, per_page, has_next=has_next,
                next_cursor=key(items[-1]) if has_next else None)
