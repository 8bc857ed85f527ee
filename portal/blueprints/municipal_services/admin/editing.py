"""The catalogue's editor (``services.edit``): services in both languages, each one's
application form (questions added, changed, put in order and removed), and the departments
with their calendars. Every change is audited by the domain core (``catalogue.py``)."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.municipal_services import catalogue
from portal.blueprints.municipal_services.admin import bp
from portal.blueprints.municipal_services.forms import (
    KIND_LABELS,
    MODE_LABELS,
    WEEKDAY_LABELS,
    DepartmentForm,
    FieldForm,
    ServiceForm,
)
from portal.blueprints.municipal_services.models import WEEKDAYS, Department, Service, ServiceField
from portal.extensions import db, get_or_404
from portal.i18n import localized
from portal.web.forms import ConfirmForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


@bp.get("/catalogue")
@requires("services.edit")
def catalogue_index():
    return render("municipal_services/admin/catalogue.html",
                  services=catalogue.search(published_only=False),
                  departments=catalogue.departments(), mode_labels=MODE_LABELS,
                  fee_text=catalogue.fee_text, weekday_labels=WEEKDAY_LABELS, weekdays=WEEKDAYS)


def _service_form(formdata=None, service: Service | None = None) -> ServiceForm:
    form = ServiceForm(formdata=formdata, obj=service)
    form.department_id.choices = [(d.id, str(localized(d.text("name")))) for d in catalogue.departments()]
    return form


def _service_page(form, service, status=200, field_form=None):
    return render("municipal_services/admin/service.html", status=status, form=form, service=service,
                  field_form=field_form or FieldForm(formdata=None), kind_labels=KIND_LABELS,
                  remove_form=ConfirmForm(formdata=None))


@bp.route("/catalogue/new", methods=["GET", "POST"])
@requires("services.edit")
def service_new():
    form = _service_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        with refusals_onto(form):
            service = catalogue.save_service(None, form.values())
            return saved(_("The service is saved."),
                         url_for("municipal_services_admin.service_edit", service_id=service.id))
    return _service_page(form, None, status=422 if request.method == "POST" else 200)


@bp.route("/catalogue/<int:service_id>", methods=["GET", "POST"])
@requires("services.edit")
def service_edit(service_id: int):
    service = get_or_404(Service, service_id)
    form = _service_form(request.form if request.method == "POST" else None, service)
    if request.method == "POST" and form.validate():
        with refusals_onto(form):
            catalogue.save_service(service, form.values())
            return saved(_("The service is saved."),
                         url_for("municipal_services_admin.service_edit", service_id=service.id))
    return _service_page(form, service, status=422 if request.method == "POST" else 200)


def _field_values(form: FieldForm) -> dict:
    return {"kind": form.kind.data, "label_ka": form.label_ka.data.strip(),
            "label_en": (form.label_en.data or "").strip(), "choices": (form.choices.data or "").strip(),
            "is_required": bool(form.is_required.data)}


def _field_of(service: Service, field_id: int) -> ServiceField:
    field = db.session.scalar(select(ServiceField).where(ServiceField.id == field_id,
                                                         ServiceField.service_id == service.id))
    if field is None:
        abort(404)
    return field


@bp.post("/catalogue/<int:service_id>/fields")
@requires("services.edit")
def field_add(service_id: int):
    service = get_or_404(Service, service_id)
    form = FieldForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            catalogue.add_field(service, _field_values(form))
            return saved(_("The question is added."),
                         url_for("municipal_services_admin.service_edit", service_id=service.id))
    return _service_page(_service_form(None, service), service, status=422, field_form=form)


@bp.route("/catalogue/<int:service_id>/fields/<int:field_id>", methods=["GET", "POST"])
@requires("services.edit")
def field_edit(service_id: int, field_id: int):
    service = get_or_404(Service, service_id)
    field = _field_of(service, field_id)
    form = FieldForm(formdata=request.form if request.method == "POST" else None, obj=field)
    if request.method == "POST" and form.validate():
        with refusals_onto(form):
            catalogue.update_field(service, field, _field_values(form))
            return saved(_("The question is saved."),
                         url_for("municipal_services_admin.service_edit", service_id=service.id))
    return render("municipal_services/admin/field.html", status=422 if request.method == "POST" else 200,
                  form=form, service=service, field=field)


@bp.post("/catalogue/<int:service_id>/fields/<int:field_id>/move")
@requires("services.edit")
def field_move(service_id: int, field_id: int):
    service = get_or_404(Service, service_id)
    field = _field_of(service, field_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if not ConfirmForm().validate_on_submit() or offset is None:
        abort(400)
    refused = FieldForm(formdata=None)
    with refusals_onto(refused):
        catalogue.move_field(service, field, offset)
        return saved(_("The question is moved."),
                     url_for("municipal_services_admin.service_edit", service_id=service.id))
    return _service_page(_service_form(None, service), service, status=422, field_form=refused)


@bp.post("/catalogue/<int:service_id>/fields/<int:field_id>/remove")
@requires("services.edit")
def field_remove(service_id: int, field_id: int):
    service = get_or_404(Service, service_id)
    field = _field_of(service, field_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    catalogue.remove_field(service, field)
    return saved(_("The question is removed."),
                 url_for("municipal_services_admin.service_edit", service_id=service.id))


def _department_values(form: DepartmentForm) -> dict:
    hours = catalogue.hours_from({day: form[day].data for day in WEEKDAYS})
    return {"name_ka": form.name_ka.data.strip(), "name_en": (form.name_en.data or "").strip(),
            "place_ka": (form.place_ka.data or "").strip(), "place_en": (form.place_en.data or "").strip(),
            "hours": hours, "slot_minutes": form.slot_minutes.data,
            "slot_capacity": form.slot_capacity.data, "days_ahead": form.days_ahead.data}


def _department_form(formdata=None, department: Department | None = None) -> DepartmentForm:
    values = {}
    if department is not None:
        values = {day: "-".join(department.hours.get(day, [])) for day in WEEKDAYS}
    return DepartmentForm(formdata=formdata, obj=department, **values)


def _department_page(form, department, status=200):
    return render("municipal_services/admin/department.html", status=status, form=form,
                  department=department, weekdays=WEEKDAYS)


@bp.route("/departments/new", methods=["GET", "POST"])
@requires("services.edit")
def department_new():
    form = _department_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        with refusals_onto(form):
            department = catalogue.save_department(None, _department_values(form))
            return saved(_("The department is saved."),
                         url_for("municipal_services_admin.department_edit", department_id=department.id))
    return _department_page(form, None, status=422 if request.method == "POST" else 200)


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@requires("services.edit")
def department_edit(department_id: int):
    department = get_or_404(Department, department_id)
    form = _department_form(request.form if request.method == "POST" else None, department)
    if request.method == "POST" and form.validate():
        with refusals_onto(form):
            catalogue.save_department(department, _department_values(form))
            return saved(_("The department is saved."),
                         url_for("municipal_services_admin.department_edit", department_id=department.id))
    return _department_page(form, department, status=422 if request.method == "POST" else 200)
