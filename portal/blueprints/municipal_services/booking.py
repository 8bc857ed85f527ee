"""Taking and giving back a place in a department's calendar.

Two people can never take the last place of one slot together: the place is taken by one
conditional UPDATE (``taken = taken + 1 WHERE taken < capacity``). On PostgreSQL a second
writer waits for the first one's row lock and then re-checks the condition against the
committed row, so it finds the slot full and updates nothing; SQLite lets one writer at a
time. The slot's row is made on first use; two first bookings at once meet on the unique
constraint, and the loser reads the winner's row. A CHECK constraint (``taken <= capacity``)
is the last line.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.blueprints.municipal_services import calendar
from portal.blueprints.municipal_services.models import Department, Slot
from portal.extensions import db
from portal.services.errors import DomainError

FULL = _l("Someone has just taken the last place at this time. Please choose another time.")
NOT_OPEN = _l("Choose one of the times shown.")


def _slot(department: Department, day: date, minute: int) -> Slot:
    found = db.session.scalar(select(Slot).where(
        Slot.department_id == department.id, Slot.day == day, Slot.start_minute == minute))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = Slot(department_id=department.id, day=day, start_minute=minute,
                         capacity=max(1, department.slot_capacity), taken=0)
            db.session.add(found)
    except IntegrityError:  # made at the same moment by another booking: use theirs
        found = db.session.scalar(select(Slot).where(
            Slot.department_id == department.id, Slot.day == day, Slot.start_minute == minute))
    return found


def take(department: Department, day: date, minute: int, now: datetime) -> Slot:
    """Take one place at ``day``/``minute``; flushes. Raises DomainError on ``slot`` when the
    time is not in the calendar or no place is left."""
    if not calendar.is_bookable(department, day, minute, now):
        raise DomainError(NOT_OPEN, field="slot")
    slot = _slot(department, day, minute)
    result = db.session.execute(
        update(Slot).where(Slot.id == slot.id, Slot.taken < Slot.capacity)
        .values(taken=Slot.taken + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise DomainError(FULL, field="slot")
    db.session.expire(slot)
    return slot


def give_back(slot_id: int | None) -> None:
    """Free one place of the slot (a cancelled or moved appointment); flushes."""
    if slot_id is None:
        return
    db.session.execute(
        update(Slot).where(Slot.id == slot_id, Slot.taken > 0)
        .values(taken=Slot.taken - 1).execution_options(synchronize_session=False))
