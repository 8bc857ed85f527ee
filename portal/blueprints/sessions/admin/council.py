"""The clerk's sessions: list, create, edit and delete, and their attendance.

``edit_page`` renders the session page, or one region of it for htmx; the agenda and documents
regions have their own views in ``agenda_documents``.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin import council_queries as q
from portal.blueprints.sessions.admin.council_forms import (
    DOCUMENT_LABELS,
    AgendaItemForm,
    DocumentForm,
    SessionFilterForm,
    SessionForm,
    attendance_form,
    session_form_data,
)
from portal.blueprints.sessions.council import queries, services
from portal.blueprints.sessions.council.attendance import attendance_roster, save_attendance
from portal.blueprints.sessions.models import Body
from portal.blueprints.sessions.topics import announce
from portal.extensions import get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

EDIT = "sessions/admin/session.html"


@bp.get("/")
@requires("sessions.edit")
def index():
    form = SessionFilterForm(formdata=request.args, bodies=q.bodies(), years=queries.years())
    valid = form.validate()
    filters = {"body_id": form.body.data or 0, "status": form.status.data or "",
               "year": form.year.data or 0} if valid else {}
    rows = q.session_page(page=page_arg(), **filters)
    return render("sessions/admin/sessions.html", block="results", status=200 if valid else 422,
                  form=form, rows=rows, filtered=any(filters.values()))


@bp.route("/new", methods=["GET", "POST"])
@requires("sessions.edit")
def new_session():
    bodies = q.bodies()
    council = next((b.id for b in bodies if b.kind == "council"), None)
    form = SessionForm(bodies=bodies, data={"body_id": council, "status": "scheduled",
                                            "kind": "regular"})
    if bodies and form.validate_on_submit():
        values = form.values()
        body = get_or_404(Body, values.pop("body_id"))
        with refusals_onto(form):
            session = services.create_session(body, values.pop("title"), values.pop("starts_at"),
                                               **values)
            audit.record("session.create", target=f"session:{session.id}",
                         after=services.session_values(session))
            announce(session)  # to the subscribers of upcoming sessions, if it lies ahead
            return saved(_("Session created. Add its agenda and documents below."),
                         url_for("sessions_admin.edit_session", session_id=session.id))
    status = 422 if request.method == "POST" else 200
    return render("sessions/admin/session_new.html", status=status, form=form, bodies=bodies)


def edit_page(session_id: int, *, status: int = 200, block: str | None = None, message=None,
               session=None, **forms):
    """The session's edit page (or one region of it), freshly loaded unless ``session`` is."""
    session = session or q.session_for_edit(session_id)
    members = q.members()
    forms.setdefault("form", SessionForm(data=session_form_data(session), bodies=q.bodies()))
    forms.setdefault("agenda_form", AgendaItemForm(members=members, formdata=None))
    forms.setdefault("document_form", DocumentForm(formdata=None))
    present = sum(1 for a in session.attendance if a.status == "present")
    return render(EDIT, block=block, status=status, session=session, members=members,
                  present=present, message=message, document_labels=DOCUMENT_LABELS, **forms)


@bp.route("/<int:session_id>", methods=["GET", "POST"])
@requires("sessions.edit")
def edit_session(session_id: int):
    session = q.session_for_edit(session_id)
    form = SessionForm(data=session_form_data(session), bodies=q.bodies())
    if form.validate_on_submit():
        before = services.session_values(session)
        with refusals_onto(form):
            services.update_session(session, **form.values())
            changed_before, changed_after = audit.changes(before, services.session_values(session))
            audit.record("session.update", target=f"session:{session.id}",
                         before=changed_before, after=changed_after)
            return saved(_("Session saved.") if changed_after else _("Nothing changed."),
                         url_for("sessions_admin.edit_session", session_id=session_id))
    if request.method == "POST":
        return edit_page(session_id, status=422, form=form)
    return edit_page(session_id, session=session, form=form)


@bp.route("/<int:session_id>/delete", methods=["GET", "POST"])
@requires("sessions.edit")
def delete_session(session_id: int):
    """GET asks for confirmation (saying what goes and what stays); POST deletes."""
    session = q.session_for_edit(session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        before = services.session_values(session)
        before.update(agenda_items=len(session.agenda_items), documents=len(session.documents))
        unmatched = services.delete_session(session)
        before["recordings_unmatched"] = unmatched
        audit.record("session.delete", target=f"session:{session_id}", before=before)
        response = saved(_("Session deleted."), url_for("sessions_admin.index"))
        if unmatched:
            flash(ngettext("%(num)s recording is now unmatched: it stays searchable and waits "
                           "in the review list.",
                           "%(num)s recordings are now unmatched: they stay searchable and "
                           "wait in the review list.", unmatched), "info")
        return response
    return render("sessions/admin/session_delete.html", status=422 if request.method == "POST" else 200,
                  session=session, form=form)


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@requires("sessions.edit")
def attendance(session_id: int):
    """Everyone seated in the session's body that day, marked at once."""
    session = q.session_for_edit(session_id)
    roster = attendance_roster(session)
    form = attendance_form(roster, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        statuses = {member.id: form[f"m{member.id}"].data or None for member, _s in roster}
        with refusals_onto(form):
            changes = save_attendance(session, statuses)
            audit.record("attendance.save", target=f"session:{session_id}",
                         before={str(k): v[0] for k, v in changes.items()},
                         after={str(k): v[1] for k, v in changes.items()})
            return saved(_("Attendance saved.") if changes else _("Nothing changed."),
                         url_for("sessions_admin.attendance", session_id=session_id))
    return render("sessions/admin/session_attendance.html",
                  status=422 if request.method == "POST" else 200,
                  session=session, roster=roster, form=form)


def _upcoming_panel(user) -> DashboardPanel:
    return DashboardPanel(q.upcoming_count(14), [DashboardItem(
        _("Manage sessions"), url_for("sessions_admin.index", status="scheduled"))])


def _register_dashboard(state) -> None:
    register_provider(DashboardProvider(
        "upcoming_sessions", _l("Upcoming sessions (next 14 days)"), "sessions.edit",
        _upcoming_panel, feature="sessions"))


bp.record_once(_register_dashboard)
