"""Municipal services' things for the URL-map walks (see tests/factories.py): a department, a
service of each mode with a form, an application with a file, a booked appointment; and
valid forms for the staff's POST routes. Also the helpers the feature's tests share."""

from __future__ import annotations

import secrets

from portal.blueprints.municipal_services.models import (
    Department,
    RequestFile,
    Service,
    ServiceField,
    ServiceRequest,
)
from portal.blueprints.municipal_services.requests import code_hash, new_code
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context
from tests.factories import factory, submission

EVERY_DAY = {day: ["09:00", "18:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_department(app, tenant, **values) -> int:
    with app.app_context(), tenant_context(tenant):
        department = Department(**{"name_ka": "არქიტექტურის სამსახური", "name_en": "Architecture Service",
                                   "place_ka": "ოთახი 12", "place_en": "Room 12", "hours": EVERY_DAY,
                                   "slot_minutes": 30, "slot_capacity": 2, "days_ahead": 21, **values})
        db.session.add(department)
        db.session.commit()
        return department.id


def make_service(app, tenant, department_id: int, *, mode: str = "application", fields=(),
                 **values) -> int:
    """A committed service; ``fields`` are (kind, label_ka, label_en, choices, required)."""
    with app.app_context(), tenant_context(tenant):
        service = Service(**{"department_id": department_id, "mode": mode,
                             "title_ka": "მშენებლობის ნებართვა", "title_en": "Construction permit",
                             "summary_ka": "II კლასის შენობის ნებართვა.", "summary_en": "A class II permit.",
                             "documents_ka": "პროექტი", "documents_en": "Design", "fee_tetri": 10000,
                             "delivery_days": 30, **values})
        db.session.add(service)
        db.session.flush()
        for n, (kind, label_ka, label_en, choices, required) in enumerate(fields, 1):
            db.session.add(ServiceField(service_id=service.id, position=n, kind=kind, label_ka=label_ka,
                                        label_en=label_en, choices=choices, is_required=required))
        db.session.commit()
        return service.id


def make_request(app, tenant, service_id: int, *, kind: str = "application", status: str = "submitted",
                 code: str | None = None, **values) -> tuple[int, str]:
    code = code or new_code()
    with app.app_context(), tenant_context(tenant):
        request = ServiceRequest(**{"service_id": service_id, "kind": kind, "status": status,
                                    "code_hash": code_hash(code), "link_nonce": secrets.token_hex(16),
                                    "full_name": "ნინო ბერიძე", "email": "nino@example.ge",
                                    "locale": "ka", "answers": {}, **values})
        db.session.add(request)
        db.session.commit()
        return request.id, code


def make_file(app, tenant, request_id: int) -> int:
    with app.app_context(), tenant_context(tenant):
        key, _safe = storage.save(f"{tenant.slug}/services", "document.pdf", PDF)
        row = RequestFile(request_id=request_id, storage_path=key, name="პროექტი.pdf",
                          mimetype="application/pdf", size=len(PDF))
        db.session.add(row)
        db.session.commit()
        return row.id


def _department(objects) -> int:
    return objects.once("services:department", lambda: make_department(objects.app, objects.tenant))


def _service(objects) -> int:
    return objects.once("services:service", lambda: make_service(
        objects.app, objects.tenant, _department(objects),
        fields=[("text", "საკადასტრო კოდი", "Cadastral code", "", True),
                ("textarea", "შენიშვნა", "Note", "", False)]))


def _request(objects) -> tuple[int, str]:
    return objects.once("services:request", lambda: make_request(objects.app, objects.tenant,
                                                                  _service(objects)))


def _file(objects) -> int:
    return objects.once("services:file", lambda: make_file(objects.app, objects.tenant,
                                                            _request(objects)[0]))


@factory("municipal_services", "service_id")
@factory("municipal_services_admin", "service_id")
def _service_id(objects):
    return _service(objects)


@factory("municipal_services_admin", "department_id")
def _department_id(objects):
    return _department(objects)


@factory("municipal_services_admin", "field_id")
def _field_id(objects):
    service_id = _service(objects)
    with objects.app.app_context(), tenant_context(objects.tenant):
        return db.session.get(Service, service_id).fields[0].id


@factory("municipal_services_admin", "request_id")
def _request_id(objects):
    return _request(objects)[0]


@factory("municipal_services", "request_token")
def _request_token(objects):
    return _request(objects)[1]


@factory("municipal_services", "request_file_id")
@factory("municipal_services_admin", "request_file_id")
def _file_id(objects):
    return _file(objects)


SERVICE_FORM = {"title_ka": "ცნობა", "title_en": "Certificate", "mode": "application",
                "is_published": "y", "fee_tetri": "0", "delivery_days": "3"}
DEPARTMENT_FORM = {"name_ka": "სოციალური სამსახური", "name_en": "Social Service", "mon": "10:00-13:00",
                   "slot_minutes": "20", "slot_capacity": "3", "days_ahead": "14"}


@submission("municipal_services_admin.step")
def _step(objects, client):
    return {"status": "in_progress"}


@submission("municipal_services_admin.service_new")
@submission("municipal_services_admin.service_edit")
def _service_form(objects, client):
    return {**SERVICE_FORM, "department_id": str(_department(objects))}


@submission("municipal_services_admin.field_add")
def _field_form(objects, client):
    return {"label_ka": "მისამართი", "label_en": "Address", "kind": "text"}


@submission("municipal_services_admin.field_edit")
def _field_edit_form(objects, client):
    return {"label_ka": "საკადასტრო კოდი", "label_en": "Cadastral code", "kind": "text", "is_required": "y"}


@submission("municipal_services_admin.field_move")
def _field_move(objects, client):
    return {"direction": "down"}


@submission("municipal_services_admin.field_remove")
def _field_remove(objects, client):
    return {}


@submission("municipal_services_admin.department_new")
@submission("municipal_services_admin.department_edit")
def _department_form(objects, client):
    return dict(DEPARTMENT_FORM)
