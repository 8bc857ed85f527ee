"""The clerk's sessions: list, create, edit and delete; agenda, documents and attendance.

Agenda and document forms are plain POST forms (303 back to the session without JavaScript);
htmx posts them to the same URLs and gets the refreshed agenda or documents region back.
"""

from __future__ import annotations

from math import ceil

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.blueprints.accounts.forms import ConfirmForm
from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.sessions import documents, queries, services
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
from portal.blueprints.sessions.attendance import attendance_roster, save_attendance
from portal.blueprints.sessions.models import AgendaItem, Body, Document, Member
from portal.extensions import db
from portal.services import audit
from portal.web.htmx import hx_headers, is_fragment_request, render
from portal.web.permissions import requires
from portal.web.uploads import too_large_returns_to

EDIT = "sessions/admin/session.html"


def show_error(form, error: services.ArchiveError) -> None:
    """Put a service's refusal next to the field it concerns (or above the form)."""
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors = [*form.form_errors, str(error)]


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@bp.get("/")
@requires("sessions.edit")
def index():
    form = SessionFilterForm(formdata=request.args, bodies=q.bodies(), years=queries.years())
    valid = form.validate()
    filters = {"body_id": form.body.data or 0, "status": form.status.data or "",
               "year": form.year.data or 0} if valid else {}
    page = _page_arg()
    rows, total = q.session_page(page=page, **filters)
    return render("sessions/admin/sessions.html", block="results", status=200 if valid else 422,
                  form=form, rows=rows, total=total, page=page,
                  pages=max(1, ceil(total / q.PER_PAGE)), filtered=any(filters.values()))


@bp.route("/new", methods=["GET", "POST"])
@requires("sessions.edit")
def new_session():
    bodies = q.bodies()
    council = next((b.id for b in bodies if b.kind == "council"), None)
    form = SessionForm(bodies=bodies, data={"body_id": council, "status": "scheduled",
                                            "kind": "regular"})
    if bodies and form.validate_on_submit():
        values = form.values()
        body = db.get_or_404(Body, values.pop("body_id"))
        try:
            session = services.create_session(body, values.pop("title"), values.pop("starts_at"),
                                               **values)
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            audit.record("session.create", target=f"session:{session.id}",
                         after=services.session_values(session))
            db.session.commit()
            flash(_("Session created. Add its agenda and documents below."), "info")
            return redirect(url_for("sessions_admin.edit_session", session_id=session.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render("sessions/admin/session_new.html", status=status, form=form, bodies=bodies)


def _edit_page(session_id: int, *, status: int = 200, block: str | None = None, message=None,
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
        try:
            services.update_session(session, **form.values())
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            changed_before, changed_after = audit.changes(before, services.session_values(session))
            audit.record("session.update", target=f"session:{session.id}",
                         before=changed_before, after=changed_after)
            db.session.commit()
            flash(_("Session saved.") if changed_after else _("Nothing changed."), "info")
            return redirect(url_for("sessions_admin.edit_session", session_id=session_id), code=303)
    if request.method == "POST":
        return _edit_page(session_id, status=422, form=form)
    return _edit_page(session_id, session=session, form=form)


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
        db.session.commit()
        flash(_("Session deleted."), "info")
        if unmatched:
            flash(ngettext("%(num)s recording is now unmatched: it stays searchable and waits "
                           "in the review list.",
                           "%(num)s recordings are now unmatched: they stay searchable and "
                           "wait in the review list.", unmatched), "info")
        return redirect(url_for("sessions_admin.index"), code=303)
    return render("sessions/admin/session_delete.html", status=422 if request.method == "POST" else 200,
                  session=session, form=form)


def _region_done(session_id: int, block: str, message: str, *, retarget: bool = False):
    """After a change to the agenda or documents: the refreshed region for htmx (with a
    status message), else back to the session page (Post/Redirect/Get)."""
    if is_fragment_request():
        response = _edit_page(session_id, block=block, message=message)
        if retarget:
            hx_headers(response, retarget=f"#{block}", reswap="outerHTML")
        return response
    flash(message, "info")
    return redirect(url_for("sessions_admin.edit_session", session_id=session_id,
                            _anchor=block), code=303)


def _reporter(form) -> Member | None:
    return db.get_or_404(Member, form.reporter_id.data) if form.reporter_id.data else None


@bp.post("/<int:session_id>/agenda")
@requires("sessions.edit")
def add_agenda_item(session_id: int):
    session = q.session_for_edit(session_id)
    form = AgendaItemForm(members=q.members())
    if form.validate_on_submit():
        try:
            item = services.add_agenda_item(session, form.title.data, _reporter(form),
                                            form.start.data)
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            audit.record("agenda.add", target=f"session:{session_id}",
                         after={"id": item.id, **services.agenda_values(item)})
            db.session.commit()
            return _region_done(session_id, "agenda", _("Agenda item added."))
    return _edit_page(session_id, status=422, block="agenda", agenda_form=form)


@bp.route("/agenda/<int:item_id>", methods=["GET", "POST"])
@requires("sessions.edit")
def agenda_item(item_id: int):
    """Edit one agenda item: its own page without JavaScript, an inline form with htmx."""
    item = db.get_or_404(AgendaItem, item_id)
    members = q.members()
    form = AgendaItemForm(members=members, prefix=f"item{item.id}", data={
        "title": item.title, "reporter_id": item.reporter_id or 0, "start": item.start_seconds})
    if form.validate_on_submit():
        before = services.agenda_values(item)
        try:
            services.update_agenda_item(item, form.title.data, _reporter(form), form.start.data)
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            changed = audit.changes(before, services.agenda_values(item))
            audit.record("agenda.update", target=f"agenda_item:{item.id}",
                         before=changed[0], after=changed[1])
            db.session.commit()
            return _region_done(item.session_id, "agenda", _("Agenda item saved."), retarget=True)
    session = q.session_for_edit(item.session_id)
    return render("sessions/admin/session_agenda_item.html", block="item_form",
                  status=422 if request.method == "POST" else 200,
                  form=form, item=item, session=session)


@bp.post("/agenda/<int:item_id>/move")
@requires("sessions.edit")
def move_agenda_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    form = ConfirmForm()
    direction = request.form.get("direction")
    if not form.validate_on_submit() or direction not in ("up", "down"):
        return _edit_page(item.session_id, status=422, block="agenda",
                          message=_("The agenda could not be changed; reload the page."))
    before = item.position
    moved = services.move_agenda_item(item, -1 if direction == "up" else 1)
    audit.record("agenda.move", target=f"agenda_item:{item.id}",
                 before={"position": before}, after={"position": item.position})
    db.session.commit()
    message = _("Agenda item moved.") if moved else _("The item is already at that end.")
    return _region_done(item.session_id, "agenda", message)


def _delete_unconfirmed(session_id: int, block: str, message: str, template: str, **context):
    """A delete that was not confirmed: the confirmation page (the GET of a delete button
    without JavaScript, or a plain POST without a valid token, then 422); for htmx, which
    asked with hx-confirm already, the region with ``message`` (422)."""
    if request.method == "POST" and is_fragment_request():
        return _edit_page(session_id, status=422, block=block, message=message)
    return render(template, status=422 if request.method == "POST" else 200,
                  session=q.session_for_edit(session_id), **context)


@bp.route("/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@requires("sessions.edit")
def delete_agenda_item(item_id: int):
    """GET asks for confirmation (what the delete button leads to without JavaScript); POST
    deletes (htmx posts here directly, after hx-confirm)."""
    item = db.get_or_404(AgendaItem, item_id)
    session_id = item.session_id
    if not ConfirmForm().validate_on_submit():
        return _delete_unconfirmed(session_id, "agenda",
                                   _("The agenda could not be changed; reload the page."),
                                   "sessions/admin/session_agenda_item_delete.html", item=item)
    before = {"id": item.id, "session_id": session_id, **services.agenda_values(item)}
    services.delete_agenda_item(item)
    audit.record("agenda.delete", target=f"agenda_item:{item_id}", before=before)
    db.session.commit()
    return _region_done(session_id, "agenda", _("Agenda item deleted."))


@bp.post("/<int:session_id>/documents")
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.edit_session", limit=documents.DOCUMENT_MAX_BYTES)
def upload_document(session_id: int):
    session = q.session_for_edit(session_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            document = documents.add_document(
                session, upload.filename or "", upload.read(documents.DOCUMENT_MAX_BYTES + 1),
                kind=form.kind.data, title=form.title.data or "")
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            audit.record("document.upload", target=f"document:{document.id}", after={
                "session_id": session_id, "kind": document.kind, "title": document.title,
                "filename": document.filename, "size": document.size})
            db.session.commit()
            return _region_done(session_id, "documents", _("Document uploaded."))
    return _edit_page(session_id, status=422, block="documents", document_form=form)


@bp.route("/documents/<int:document_id>/delete", methods=["GET", "POST"])
@requires("sessions.edit")
def delete_document(document_id: int):
    """GET asks for confirmation (without JavaScript); POST deletes (htmx: after hx-confirm)."""
    document = db.get_or_404(Document, document_id)
    session_id = document.session_id
    if not ConfirmForm().validate_on_submit():
        return _delete_unconfirmed(session_id, "documents",
                                   _("The document could not be deleted; reload the page."),
                                   "sessions/admin/session_document_delete.html",
                                   document=document, document_labels=DOCUMENT_LABELS)
    before = {"session_id": session_id, "kind": document.kind, "title": document.title,
              "filename": document.filename}
    documents.delete_document(document)
    audit.record("document.delete", target=f"document:{document_id}", before=before)
    db.session.commit()
    return _region_done(session_id, "documents", _("Document deleted."))


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@requires("sessions.edit")
def attendance(session_id: int):
    """Everyone seated in the session's body that day, marked at once."""
    session = q.session_for_edit(session_id)
    roster = attendance_roster(session)
    form = attendance_form(roster, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        statuses = {member.id: form[f"m{member.id}"].data or None for member, _s in roster}
        try:
            changes = save_attendance(session, statuses)
        except services.ArchiveError as error:
            show_error(form, error)
        else:
            audit.record("attendance.save", target=f"session:{session_id}",
                         before={str(k): v[0] for k, v in changes.items()},
                         after={str(k): v[1] for k, v in changes.items()})
            db.session.commit()
            flash(_("Attendance saved.") if changes else _("Nothing changed."), "info")
            return redirect(url_for("sessions_admin.attendance", session_id=session_id), code=303)
    return render("sessions/admin/session_attendance.html",
                  status=422 if request.method == "POST" else 200,
                  session=session, roster=roster, form=form)


def _upcoming_panel(user) -> DashboardPanel:
    return DashboardPanel(q.upcoming_count(14), [DashboardItem(
        _("Manage sessions"), url_for("sessions_admin.index", status="scheduled"))])


def _register_dashboard(state) -> None:
    register_provider(DashboardProvider(
        "upcoming_sessions", _l("Upcoming sessions (next 14 days)"), "sessions.edit",
        _upcoming_panel))


bp.record_once(_register_dashboard)
