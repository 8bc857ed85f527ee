"""The session page's agenda and documents: add, edit, move and delete agenda items; upload
and delete documents.

Plain POST forms (303 back to the session page without JavaScript) that htmx posts to the same
URLs, getting the refreshed agenda or documents region back. Deleting asks first: hx-confirm
with htmx, without JavaScript the delete button's GET is a confirmation page.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin import council_queries as q
from portal.blueprints.sessions.admin.council import edit_page
from portal.blueprints.sessions.admin.council_forms import (
    DOCUMENT_LABELS,
    AgendaItemForm,
    DocumentForm,
)
from portal.blueprints.sessions.council import documents, services
from portal.blueprints.sessions.models import AgendaItem, Document, Member
from portal.extensions import get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to


def _region_done(session_id: int, block: str, message: str, *, retarget: bool = False):
    """After a change to the agenda or documents: commit, then the refreshed region for htmx
    (with a status message), else back to the session page (Post/Redirect/Get)."""
    def region():
        response = edit_page(session_id, block=block, message=message)
        if retarget:
            hx_headers(response, retarget=f"#{block}", reswap="outerHTML")
        return response

    return saved(message, url_for("sessions_admin.edit_session", session_id=session_id,
                                  _anchor=block), fragment=region)


def _reporter(form) -> Member | None:
    return get_or_404(Member, form.reporter_id.data) if form.reporter_id.data else None


@bp.post("/<int:session_id>/agenda")
@requires("sessions.edit")
def add_agenda_item(session_id: int):
    session = q.session_for_edit(session_id)
    form = AgendaItemForm(members=q.members())
    if form.validate_on_submit():
        with refusals_onto(form):
            item = services.add_agenda_item(session, form.title.data, _reporter(form),
                                            form.start.data)
            audit.record("agenda.add", target=f"session:{session_id}",
                         after={"id": item.id, **services.agenda_values(item)})
            return _region_done(session_id, "agenda", _("Agenda item added."))
    return edit_page(session_id, status=422, block="agenda", agenda_form=form)


@bp.route("/agenda/<int:agenda_item_id>", methods=["GET", "POST"])
@requires("sessions.edit")
def agenda_item(agenda_item_id: int):
    """Edit one agenda item: its own page without JavaScript, an inline form with htmx."""
    item = get_or_404(AgendaItem, agenda_item_id)
    members = q.members()
    form = AgendaItemForm(members=members, prefix=f"item{item.id}", data={
        "title": item.title, "reporter_id": item.reporter_id or 0, "start": item.start_seconds})
    if form.validate_on_submit():
        before = services.agenda_values(item)
        with refusals_onto(form):
            services.update_agenda_item(item, form.title.data, _reporter(form), form.start.data)
            changed = audit.changes(before, services.agenda_values(item))
            audit.record("agenda.update", target=f"agenda_item:{item.id}",
                         before=changed[0], after=changed[1])
            return _region_done(item.session_id, "agenda", _("Agenda item saved."), retarget=True)
    session = q.session_for_edit(item.session_id)
    return render("sessions/admin/session_agenda_item.html", block="item_form",
                  status=422 if request.method == "POST" else 200,
                  form=form, item=item, session=session)


@bp.post("/agenda/<int:agenda_item_id>/move")
@requires("sessions.edit")
def move_agenda_item(agenda_item_id: int):
    item = get_or_404(AgendaItem, agenda_item_id)
    form = ConfirmForm()
    direction = request.form.get("direction")
    if not form.validate_on_submit() or direction not in ("up", "down"):
        return edit_page(item.session_id, status=422, block="agenda",
                          message=_("The agenda could not be changed; reload the page."))
    before = item.position
    moved = services.move_agenda_item(item, -1 if direction == "up" else 1)
    audit.record("agenda.move", target=f"agenda_item:{item.id}",
                 before={"position": before}, after={"position": item.position})
    message = _("Agenda item moved.") if moved else _("The item is already at that end.")
    return _region_done(item.session_id, "agenda", message)


def _delete_unconfirmed(session_id: int, block: str, message: str, template: str, **context):
    """A delete that was not confirmed: the confirmation page (the GET of a delete button
    without JavaScript, or a plain POST without a valid token, then 422); for htmx, which
    asked with hx-confirm already, the region with ``message`` (422)."""
    if request.method == "POST" and is_fragment_request():
        return edit_page(session_id, status=422, block=block, message=message)
    return render(template, status=422 if request.method == "POST" else 200,
                  session=q.session_for_edit(session_id), **context)


@bp.route("/agenda/<int:agenda_item_id>/delete", methods=["GET", "POST"])
@requires("sessions.edit")
def delete_agenda_item(agenda_item_id: int):
    """GET asks for confirmation (what the delete button leads to without JavaScript); POST
    deletes (htmx posts here directly, after hx-confirm)."""
    item = get_or_404(AgendaItem, agenda_item_id)
    session_id = item.session_id
    if not ConfirmForm().validate_on_submit():
        return _delete_unconfirmed(session_id, "agenda",
                                   _("The agenda could not be changed; reload the page."),
                                   "sessions/admin/session_agenda_item_delete.html", item=item)
    before = {"id": item.id, "session_id": session_id, **services.agenda_values(item)}
    services.delete_agenda_item(item)
    audit.record("agenda.delete", target=f"agenda_item:{agenda_item_id}", before=before)
    return _region_done(session_id, "agenda", _("Agenda item deleted."))


@bp.post("/<int:session_id>/documents")
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.edit_session", limit=documents.DOCUMENT_MAX_BYTES)
def upload_document(session_id: int):
    session = q.session_for_edit(session_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        with refusals_onto(form):
            document = documents.add_document(
                session, upload.filename or "", upload.read(documents.DOCUMENT_MAX_BYTES + 1),
                kind=form.kind.data, title=form.title.data or "")
            audit.record("document.upload", target=f"document:{document.id}", after={
                "session_id": session_id, "kind": document.kind, "title": document.title,
                "filename": document.filename, "size": document.size})
            return _region_done(session_id, "documents", _("Document uploaded."))
    return edit_page(session_id, status=422, block="documents", document_form=form)


@bp.route("/documents/<int:document_id>/delete", methods=["GET", "POST"])
@requires("sessions.edit")
def delete_document(document_id: int):
    """GET asks for confirmation (without JavaScript); POST deletes (htmx: after hx-confirm)."""
    document = get_or_404(Document, document_id)
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
    return _region_done(session_id, "documents", _("Document deleted."))
