"""The catalogue: what the public finds (search in both languages, plain LIKE on the
titles, summaries and documents, the same on SQLite and PostgreSQL), and the staff's edits of
services, their application forms and the departments' calendars, each audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from portal.blueprints.municipal_services.models import (
    FIELD_KINDS,
    MODES,
    WEEKDAYS,
    Department,
    Service,
    ServiceField,
    Slot,
)
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services import audit
from portal.services.errors import DomainError

SEARCHED = ("title_ka", "title_en", "summary_ka", "summary_en", "documents_ka", "documents_en")
SERVICE_FIELDS = ("department_id", "mode", "is_published", "title_ka", "title_en", "summary_ka",
                  "summary_en", "eligibility_ka", "eligibility_en", "documents_ka", "documents_en",
                  "fee_tetri", "delivery_days", "legal_basis_ka", "legal_basis_en")
DEPARTMENT_FIELDS = ("name_ka", "name_en", "place_ka", "place_en", "hours", "slot_minutes",
                     "slot_capacity", "days_ahead")


def _like(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(q: str = "", department_id: int | None = None, *, published_only: bool = True):
    """Services matching every word of ``q`` (any language), by title; one query."""
    statement = select(Service).order_by(Service.title_ka, Service.id)
    if published_only:
        statement = statement.where(Service.is_published.is_(True))
    if department_id:
        statement = statement.where(Service.department_id == department_id)
    for word in (q or "").split()[:8]:
        pattern = _like(word)
        statement = statement.where(or_(*(func.lower(getattr(Service, c)).like(pattern, escape="\\")
                                          for c in SEARCHED)))
    return list(db.session.scalars(statement.options(selectinload(Service.fields))))


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name_ka, Department.id)))


def department_choices() -> list[tuple[int, Department]]:
    return [(d.id, d) for d in departments()]


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def save_service(service: Service | None, values: dict) -> Service:
    """Create (``service`` None) or change a service; audited; flushes."""
    if values.get("mode") not in MODES:
        raise DomainError(_l("Not a valid choice."), field="mode")
    if db.session.scalar(select(Department.id).where(Department.id == values.get("department_id"))) is None:
        raise DomainError(_l("Not a valid choice."), field="department_id")
    created = service is None
    before = {} if created else _snapshot(service, SERVICE_FIELDS)
    service = service or Service()
    for name in SERVICE_FIELDS:
        setattr(service, name, values[name])
    db.session.add(service)
    db.session.flush()
    before, after = audit.changes(before, _snapshot(service, SERVICE_FIELDS))
    audit.record("municipal_services.service_created" if created else "municipal_services.service_updated",
                 target=f"service:{service.id}", before=before, after=after)
    return service


def save_department(department: Department | None, values: dict) -> Department:
    """Create or change a department and its calendar; future slots get the new number of
    places where no more are taken already. Audited; flushes."""
    created = department is None
    before = {} if created else _snapshot(department, DEPARTMENT_FIELDS)
    department = department or Department()
    for name in DEPARTMENT_FIELDS:
        setattr(department, name, values[name])
    db.session.add(department)
    db.session.flush()
    if not created:
        today = to_local(utcnow()).date()
        db.session.execute(update(Slot).where(
            Slot.department_id == department.id, Slot.day >= today,
            Slot.taken <= department.slot_capacity).values(capacity=department.slot_capacity)
            .execution_options(synchronize_session=False))
    before, after = audit.changes(before, _snapshot(department, DEPARTMENT_FIELDS))
    audit.record("municipal_services.department_created" if created else "municipal_services.department_updated",
                 target=f"service_department:{department.id}", before=before, after=after)
    return department


def hours_from(texts: dict[str, str]) -> dict[str, list[str]]:
    """Opening hours from ``{"mon": "09:00-13:00", ...}``; empty means closed. Raises
    DomainError on the weekday's field for anything else."""
    from portal.blueprints.municipal_services.calendar import clock, parse_clock

    hours = {}
    for day in WEEKDAYS:
        text = (texts.get(day) or "").strip().replace("–", "-")
        if not text:
            continue
        opens, _, closes = text.partition("-")
        start, end = parse_clock(opens), parse_clock(closes)
        if start is None or end is None or end <= start:
            raise DomainError(_l("Write the hours as 09:00-13:00, or leave the day empty."), field=day)
        hours[day] = [clock(start), clock(end)]
    return hours


def add_field(service: Service, values: dict) -> ServiceField:
    if values.get("kind") not in FIELD_KINDS:
        raise DomainError(_l("Not a valid choice."), field="kind")
    position = max((f.position for f in service.fields), default=0) + 1
    field = ServiceField(service_id=service.id, position=position, **values)
    db.session.add(field)
    db.session.flush()
    audit.record("municipal_services.field_added", target=f"service:{service.id}",
                 after={"field": field.id, "kind": field.kind, "label": field.label_ka})
    return field


FIELD_VALUES = ("kind", "label_ka", "label_en", "choices", "is_required")


def update_field(service: Service, field: ServiceField, values: dict) -> None:
    """Change a question's words, kind, options or whether it is required; audited; flushes.
    Answers already given stay under the question's id. Raises DomainError on ``kind``."""
    if values.get("kind") not in FIELD_KINDS:
        raise DomainError(_l("Not a valid choice."), field="kind")
    before = _snapshot(field, FIELD_VALUES)
    for name in FIELD_VALUES:
        setattr(field, name, values[name])
    db.session.flush()
    before, after = audit.changes(before, _snapshot(field, FIELD_VALUES))
    audit.record("municipal_services.field_updated", target=f"service:{service.id}",
                 before={"field": field.id, **before}, after={"field": field.id, **after})


def move_field(service: Service, field: ServiceField, offset: int) -> None:
    """Move a question one place up (``-1``) or down (``1``) in the form, numbering the
    questions 1, 2, 3… again. Audited; flushes. Raises DomainError when it is at that end
    already (a page left open while someone else moved it)."""
    fields = sorted(service.fields, key=lambda f: (f.position, f.id))
    index = fields.index(field)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(fields):
        raise DomainError(_l("This question is already at that end of the form."))
    fields[index], fields[target] = fields[target], fields[index]
    for number, each in enumerate(fields, 1):
        each.position = number
    db.session.flush()
    audit.record("municipal_services.field_moved", target=f"service:{service.id}",
                 before={"field": field.id, "position": index + 1},
                 after={"field": field.id, "position": target + 1})


def remove_field(service: Service, field: ServiceField) -> None:
    audit.record("municipal_services.field_removed", target=f"service:{service.id}",
                 before={"field": field.id, "kind": field.kind, "label": field.label_ka})
    db.session.delete(field)
    db.session.flush()


def fee_text(service: Service) -> str:
    from flask_babel import format_decimal
    from flask_babel import gettext as _

    if not service.fee_tetri:
        return _("Free of charge")
    return _("%(amount)s GEL", amount=format_decimal(service.fee_tetri / 100, format="#,##0.##"))
