"""The staff's list of consultations, writing one (with its sections), publishing and
unpublishing it, its documents and its summary; each action audit-logged before the one
commit."""

from __future__ import annotations

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
from portal.blueprints.consultations import services, topics
from portal.blueprints.consultations.admin import bp
from portal.blueprints.consultations.admin.forms import ConsultationForm, DocumentsForm, OutcomeForm
from portal.blueprints.consultations.labels import COMMENT_STATUS_LABELS, KIND_LABELS
from portal.blueprints.consultations.models import Consultation, ConsultationComment, ConsultationDocument
from portal.extensions import db, get_or_404
from portal.i18n import to_local
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import publication, refusals_onto, saved, saved_changes
from portal.web.uploads import too_large_returns_to

PER_PAGE = 25
STATE_LABELS = {"draft": _l("Draft"), "published": _l("Published")}


def pending_by_consultation(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(
        select(ConsultationComment.consultation_id, func.count(ConsultationComment.id))
        .where(ConsultationComment.consultation_id.in_(ids), ConsultationComment.status == "pending")
        .group_by(ConsultationComment.consultation_id)).all())


@bp.get("/")
@requires("consultations.manage")
def index():
    rows = paginate(select(Consultation).order_by(Consultation.opens_at.desc(), Consultation.id.desc()),
                    page_arg(), PER_PAGE)
    return render("consultations/admin/index.html", rows=rows, kind_labels=KIND_LABELS,
                  state_labels=STATE_LABELS, state_of=services.state,
                  pending=pending_by_consultation([c.id for c in rows.items]))


def _form(consultation: Consultation | None) -> ConsultationForm:
    form = ConsultationForm(obj=consultation)
    if consultation is not None and not form.is_submitted():
        form.opens_at.data = to_local(consultation.opens_at)
        form.closes_at.data = to_local(consultation.closes_at)
        form.section_lines.data = services.sections_text(consultation)
    return form


def _edit_page(consultation: Consultation, form: ConsultationForm | None = None,
               documents_form: DocumentsForm | None = None, outcome_form: OutcomeForm | None = None,
               *, status: int = 200):
    counts = dict(db.session.execute(
        select(ConsultationComment.status, func.count(ConsultationComment.id))
        .where(ConsultationComment.consultation_id == consultation.id)
        .group_by(ConsultationComment.status)).all())
    return render("consultations/admin/edit.html", status=status, consultation=consultation,
                  form=form or _form(consultation), documents=services.documents_of(consultation),
                  documents_form=documents_form or DocumentsForm(),
                  outcome_form=outcome_form or OutcomeForm(obj=consultation), state_labels=STATE_LABELS,
                  state=services.state(consultation), counts=counts, status_labels=COMMENT_STATUS_LABELS)


def _save(consultation: Consultation | None, form: ConsultationForm):
    return saved_changes(form, consultation, lambda: services.save_consultation(consultation, **form.values()),
                         services.consultation_values, action="consultations",
                         target=lambda c: f"consultation:{c.id}",
                         url=lambda c: url_for("consultations_admin.edit", consultation_id=c.id))


@bp.route("/new", methods=["GET", "POST"])
@requires("consultations.manage")
def new():
    form = _form(None)
    if form.validate_on_submit() and (done := _save(None, form)):
        return done
    return render("consultations/admin/new.html", status=422 if request.method == "POST" else 200, form=form)


@bp.route("/<int:consultation_id>", methods=["GET", "POST"])
@requires("consultations.manage")
def edit(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    form = _form(consultation)
    if form.validate_on_submit() and (done := _save(consultation, form)):
        return done
    return _edit_page(consultation, form, status=422 if request.method == "POST" else 200)


@bp.post("/<int:consultation_id>/publish")
@requires("consultations.manage")
def publish(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    return publication(True, lambda: services.publish(consultation), action="consultations.publish",
                       target=f"consultation:{consultation.id}", message=_("The consultation is published."),
                       url=url_for("consultations_admin.edit", consultation_id=consultation.id),
                       announce=lambda: topics.announce(consultation)) or _edit_page(consultation, status=422)


@bp.post("/<int:consultation_id>/unpublish")
@requires("consultations.manage")
def unpublish(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    return publication(False, lambda: services.unpublish(consultation), action="consultations.unpublish",
                       target=f"consultation:{consultation.id}",
                       message=_("The consultation is a draft again."),
                       url=url_for("consultations_admin.edit", consultation_id=consultation.id)
                       ) or _edit_page(consultation, status=422)


@bp.post("/<int:consultation_id>/documents")
@requires("consultations.manage")
@too_large_returns_to("consultations_admin.edit", limit=services.DOCUMENT_LIMIT)
def add_documents(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    form = DocumentsForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            checked = services.check_documents(request.files.getlist("documents"))
            rows = services.add_documents(consultation, checked)
            audit.record("consultations.documents_added", target=f"consultation:{consultation.id}",
                         after={"documents": [r.name for r in rows]})
            return saved(_("The documents are attached."),
                         url_for("consultations_admin.edit", consultation_id=consultation.id))
    return _edit_page(consultation, documents_form=form, status=422)


@bp.post("/<int:consultation_id>/documents/<int:consultation_document_id>/delete")
@requires("consultations.manage")
def delete_document(consultation_id: int, consultation_document_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    document = get_or_404(ConsultationDocument, consultation_document_id)
    if document.consultation_id != consultation.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        audit.record("consultations.document_deleted", target=f"consultation:{consultation.id}",
                     before={"document": document.name})
        services.remove_document(document)
        return saved(_("The document is removed."),
                     url_for("consultations_admin.edit", consultation_id=consultation.id))
    return _edit_page(consultation, status=422)


@bp.post("/<int:consultation_id>/outcome")
@requires("consultations.manage")
def outcome(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        before = {"outcome": consultation.outcome or None, "outcome_en": consultation.outcome_en or None}
        with refusals_onto(form):
            services.publish_outcome(consultation, outcome=form.outcome.data, outcome_en=form.outcome_en.data or "")
            audit.record("consultations.outcome", target=f"consultation:{consultation.id}", before=before,
                         after={"outcome": consultation.outcome, "outcome_en": consultation.outcome_en or None})
            return saved(_("The summary is published."),
                         url_for("consultations_admin.edit", consultation_id=consultation.id))
    return _edit_page(consultation, outcome_form=form, status=422)


def _counts(user) -> DashboardPanel:
    pending = services.pending_count()
    return DashboardPanel(pending, [
        DashboardItem(_("Comments awaiting moderation: %(count)d", count=pending),
                      url_for("consultations_admin.comments", status="pending"))])


register_provider(DashboardProvider("consultations_pending", _l("Public consultations"), "consultations.manage",
                                    _counts, feature="consultations"))
