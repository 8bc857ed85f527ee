"""The operators' queue (``services.operate``): per department, the appointments of a day
(today by default) and the applications by status; a request's page with its answers and
files and the steps it can take (arrived, completed, missing documents, the decision with a
message). Opening a request, or one of its files, is logged as a read of personal data."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.municipal_services import catalogue, lifecycle, requests
from portal.blueprints.municipal_services.admin import bp
from portal.blueprints.municipal_services.calendar import clock
from portal.blueprints.municipal_services.forms import StepForm, answer_text, field_name
from portal.blueprints.municipal_services.models import (
    APPLICATION_STATUSES,
    RequestEvent,
    RequestFile,
    Service,
    ServiceRequest,
)
from portal.db import utcnow, writes_on_read
from portal.extensions import db, get_or_404
from portal.i18n import to_local
from portal.services import audit, uploads
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PER_PAGE = 25


def _today() -> date:
    return to_local(utcnow()).date()


def _day() -> date:
    """``?day=`` (YYYY-MM-DD) when it is one, within a year or so of today; else today."""
    text = request.args.get("day", "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return _today()
    return day if abs((day - _today()).days) <= 400 else _today()


def appointments_of(day: date, department_id: int | None) -> list[ServiceRequest]:
    statement = (select(ServiceRequest).join(Service, Service.id == ServiceRequest.service_id)
                 .where(ServiceRequest.kind == "appointment", ServiceRequest.day == day)
                 .order_by(ServiceRequest.start_minute, ServiceRequest.id))
    if department_id:
        statement = statement.where(Service.department_id == department_id)
    return list(db.session.scalars(statement))


def applications(status: str, department_id: int | None):
    statement = (select(ServiceRequest).join(Service, Service.id == ServiceRequest.service_id)
                 .where(ServiceRequest.kind == "application").order_by(ServiceRequest.id.desc()))
    if status == "open":
        statement = statement.where(ServiceRequest.status.in_(lifecycle.OPEN))
    elif status:
        statement = statement.where(ServiceRequest.status == status)
    if department_id:
        statement = statement.where(Service.department_id == department_id)
    return statement


@bp.get("/")
@requires("services.operate")
def index():
    department_id = int_arg("department", None, minimum=1)
    status = request.args.get("status", "open")
    if status not in ("open", "", *APPLICATION_STATUSES):
        status = "open"
    day = _day()
    rows = paginate(applications(status, department_id), page_arg(), PER_PAGE)
    return render("municipal_services/admin/index.html", departments=catalogue.departments(),
                  department_id=department_id, current=status, statuses=APPLICATION_STATUSES,
                  day=day, previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
                  appointments=appointments_of(day, department_id), rows=rows, clock=clock,
                  status_labels=lifecycle.STATUS_LABELS)


def _page(found: ServiceRequest, *, status: int = 200, step_form=None):
    steps = lifecycle.TRANSITIONS.get(found.status, ())
    if step_form is None:
        step_form = StepForm(formdata=None)
    step_form.set_steps(steps)
    history = list(db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == found.id)
                                      .order_by(RequestEvent.occurred_at, RequestEvent.id)))
    return render("municipal_services/admin/request.html", status=status, item=found,
                  fields=list(found.service.fields), field_name=field_name, answer_text=answer_text,
                  files=requests.files_of(found), history=history, steps=steps,
                  step_form=step_form, status_labels=lifecycle.STATUS_LABELS,
                  when=requests.when(found))


@bp.get("/requests/<int:request_id>")
@writes_on_read
@requires("services.operate")
def request_page(request_id: int):
    found = get_or_404(ServiceRequest, request_id)
    audit.record_read("service_request", target=f"service_request:{found.id}")
    db.session.commit()
    return _page(found)


@bp.post("/requests/<int:request_id>/step")
@requires("services.operate")
def step(request_id: int):
    found = get_or_404(ServiceRequest, request_id)
    form = StepForm()
    form.set_steps(lifecycle.TRANSITIONS.get(found.status, ()))
    if form.validate_on_submit():
        with refusals_onto(form):
            lifecycle.move(found, form.status.data, form.message.data or "")
            return saved(_("The request is updated."),
                         url_for("municipal_services_admin.request_page", request_id=found.id))
    return _page(found, status=422, step_form=form)


@bp.get("/requests/<int:request_id>/files/<int:request_file_id>")
@writes_on_read
@requires("services.operate")
def request_file(request_id: int, request_file_id: int):
    found = get_or_404(ServiceRequest, request_id)
    row = db.session.scalar(select(RequestFile).where(RequestFile.id == request_file_id,
                                                      RequestFile.request_id == found.id))
    if row is None:
        abort(404)
    audit.record_read("service_request_file", target=f"service_request:{found.id}/file:{row.id}")
    db.session.commit()
    return uploads.download(row.storage_path, mimetype=row.mimetype, name=row.name)


def _panel(user) -> DashboardPanel:
    today = _today()
    appointments = db.session.scalar(select(func.count(ServiceRequest.id)).where(
        ServiceRequest.kind == "appointment", ServiceRequest.day == today,
        ServiceRequest.status.in_(("booked", "attended"))))
    waiting = db.session.scalar(select(func.count(ServiceRequest.id)).where(
        ServiceRequest.kind == "application", ServiceRequest.status == "submitted"))
    return DashboardPanel(appointments + waiting, [
        DashboardItem(_("Appointments today: %(count)s", count=appointments),
                      url_for("municipal_services_admin.index")),
        DashboardItem(_("New applications: %(count)s", count=waiting),
                      url_for("municipal_services_admin.index", status="submitted"))])


register_provider(DashboardProvider("municipal_services", _l("Services: today's appointments and new "
                                                             "applications"),
                                    "services.operate", _panel, feature="municipal_services"))
