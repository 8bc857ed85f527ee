"""The editors' list of the register, writing a document, uploading its file and new
versions, publishing and unpublishing it; each action audit-logged before the one commit."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.documents import services, topics
from portal.blueprints.documents.admin import bp
from portal.blueprints.documents.admin.forms import DocumentForm, VersionForm
from portal.blueprints.documents.labels import CATEGORY_LABELS, TEXT_STATUS_LABELS
from portal.blueprints.documents.models import DocumentVersion, PublicDocument
from portal.extensions import db, get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import publication, refusals_onto, saved
from portal.web.uploads import too_large_returns_to

PER_PAGE = 25
STATE_LABELS = {"draft": _l("Draft"), "published": _l("Published")}


@bp.get("/")
@requires("documents.edit")
def index():
    wanted = request.args.get("state") if request.args.get("state") in STATE_LABELS else ""
    statement = select(PublicDocument)
    if wanted:
        statement = statement.where(PublicDocument.is_published.is_(wanted == "published"))
    rows = paginate(statement.order_by(PublicDocument.updated_at.desc(), PublicDocument.id.desc()),
                    page_arg(), PER_PAGE)
    return render("documents/admin/index.html", block="results", rows=rows, wanted=wanted,
                  state_labels=STATE_LABELS, categories=CATEGORY_LABELS)


def _edit_page(document: PublicDocument, form: DocumentForm | None = None,
               version_form: VersionForm | None = None, *, status: int = 200):
    versions = list(db.session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id)
        .options(defer(DocumentVersion.text)).order_by(DocumentVersion.number.desc())))
    return render("documents/admin/edit.html", status=status,
                  form=form or DocumentForm(obj=document), version_form=version_form or VersionForm(),
                  document=document, versions=versions, state_labels=STATE_LABELS,
                  text_statuses=TEXT_STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@requires("documents.edit")
def new():
    form = DocumentForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            document = services.save_document(None, **form.values())
            audit.record("documents.create", target=f"public_document:{document.id}",
                         after=services.document_values(document))
            return saved(_("Saved. Now upload the document's file."),
                         url_for("documents_admin.edit", public_document_id=document.id))
    return render("documents/admin/new.html", status=422 if request.method == "POST" else 200, form=form)


@bp.route("/<int:public_document_id>", methods=["GET", "POST"])
@requires("documents.edit")
def edit(public_document_id: int):
    document = get_or_404(PublicDocument, public_document_id)
    form = DocumentForm(obj=document)
    if form.validate_on_submit():
        before = services.document_values(document)
        with refusals_onto(form):
            services.save_document(document, **form.values())
            changed_before, changed_after = audit.changes(before, services.document_values(document))
            audit.record("documents.update", target=f"public_document:{document.id}",
                         before=changed_before or None, after=changed_after)
            return saved(_("Saved."), url_for("documents_admin.edit", public_document_id=document.id))
        document = get_or_404(PublicDocument, public_document_id)
    return _edit_page(document, form, status=422 if request.method == "POST" else 200)


@bp.post("/<int:public_document_id>/versions")
@requires("documents.edit")
@too_large_returns_to("documents_admin.edit", limit=services.MAX_BYTES)
def upload(public_document_id: int):
    document = get_or_404(PublicDocument, public_document_id)
    form = VersionForm()
    if form.validate_on_submit():
        file = form.file.data
        with refusals_onto(form):
            if file is None or not getattr(file, "filename", ""):
                raise services.DocumentError(_l("Choose a file to upload."), "file")
            version = services.add_version(document, file, note=form.note.data or "")
            audit.record("documents.version_added", target=f"public_document:{document.id}",
                         after=services.version_values(version))
            return saved(_("The file is uploaded; its text becomes searchable in a moment."),
                         url_for("documents_admin.edit", public_document_id=document.id))
        document = get_or_404(PublicDocument, public_document_id)
    return _edit_page(document, version_form=form, status=422)


@bp.post("/<int:public_document_id>/publish")
@requires("documents.edit")
def publish(public_document_id: int):
    document = get_or_404(PublicDocument, public_document_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form) as refusal:
            first = services.publish(document)
            audit.record("documents.publish", target=f"public_document:{document.id}",
                         after={"is_published": True})
            if first:
                topics.announce(document)
            return saved(_("The document is published."),
                         url_for("documents_admin.edit", public_document_id=document.id))
        document = get_or_404(PublicDocument, public_document_id)
        version_form = VersionForm(formdata=None)
        version_form.file.errors = [refusal.error.message]
        return _edit_page(document, version_form=version_form, status=422)
    return _edit_page(document, status=422)


@bp.post("/<int:public_document_id>/unpublish")
@requires("documents.edit")
def unpublish(public_document_id: int):
    document = get_or_404(PublicDocument, public_document_id)
    return publication(False, lambda: services.unpublish(document), action="documents.unpublish",
                       target=f"public_document:{document.id}",
                       message=_("The document is off the public register."),
                       url=url_for("documents_admin.edit", public_document_id=document.id)
                       ) or _edit_page(document, status=422)


def _counts(user) -> DashboardPanel:
    drafts = db.session.scalar(select(func.count(PublicDocument.id))
                               .where(PublicDocument.is_published.is_(False)))
    return DashboardPanel(drafts, [
        DashboardItem(_("Drafts: %(count)d", count=drafts),
                      url_for("documents_admin.index", state="draft"))])


register_provider(DashboardProvider("documents_drafts", _l("Public documents"), "documents.edit",
                                    _counts, feature="documents"))
