"""The moderators' queue: petitions awaiting moderation, a petition's review page, and the
three answers (publish, ask for changes, reject with a published reason). Each answer is
audit-logged by ``lifecycle`` and e-mailed to the author (``followers``)."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.petitions import cosponsors, identity, lifecycle
from portal.blueprints.petitions.admin import bp
from portal.blueprints.petitions.admin.forms import ChangesForm, RejectForm
from portal.blueprints.petitions.models import Petition
from portal.blueprints.petitions.thresholds import shown_threshold
from portal.blueprints.petitions.timeline import timeline
from portal.db import writes_on_read
from portal.extensions import db, get_or_404
from portal.services import audit, uploads
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PER_PAGE = 20


@bp.get("/moderation/")
@requires("petitions.moderate")
def moderation():
    statement = (select(Petition).where(Petition.status == "moderation")
                 .order_by(Petition.updated_at, Petition.id))
    rows = paginate(statement, page_arg(), PER_PAGE)
    return render("petitions/admin/moderation.html", block="results", rows=rows)


def _review(petition: Petition, *, status: int = 200, **forms):
    forms.setdefault("publish_form", ConfirmForm())
    forms.setdefault("changes_form", ChangesForm())
    forms.setdefault("reject_form", RejectForm())
    author, profile = identity.author_of(petition)
    if profile is not None:
        # Each look at an author's personal data is on record (committed with the page).
        audit.record_read("petition_author_profile", target=f"petition:{petition.id}")
        db.session.commit()
    return render("petitions/admin/review.html", block="actions", status=status,
                  petition=petition, events=timeline(petition), threshold=shown_threshold(),
                  status_labels=lifecycle.STATUS_LABELS, form_labels=lifecycle.FORM_LABELS,
                  author=author, profile=profile,
                  masked=identity.masked(profile) if profile else "",
                  profile_complete=identity.is_complete(profile),
                  cosponsors=cosponsors.cosponsors_of(petition), **forms)


@bp.get("/moderation/<int:petition_id>")
@writes_on_read
@requires("petitions.moderate")
def review(petition_id: int):
    return _review(get_or_404(Petition, petition_id))


@bp.get("/moderation/<int:petition_id>/attachment")
@requires("petitions.moderate")
def attachment(petition_id: int):
    """The attachment of a petition at any stage, for the moderators."""
    petition = get_or_404(Petition, petition_id)
    if not petition.attachment_path:
        abort(404)
    return uploads.download(petition.attachment_path, mimetype=petition.attachment_type,
                            name=petition.attachment_name)


@bp.post("/moderation/<int:petition_id>/publish")
@requires("petitions.moderate")
def publish(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            lifecycle.publish(petition)
            return saved(_("The petition is published and collecting signatures."),
                         url_for("petitions_admin.moderation"))
    return _review(petition, status=422, publish_form=form)


@bp.post("/moderation/<int:petition_id>/changes")
@requires("petitions.moderate")
def ask_changes(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = ChangesForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            lifecycle.move(petition, "changes_requested", note=form.note.data.strip())
            return saved(_("The author is asked for changes."),
                         url_for("petitions_admin.moderation"))
    return _review(petition, status=422, changes_form=form)


@bp.post("/moderation/<int:petition_id>/reject")
@requires("petitions.moderate")
def reject(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = RejectForm()
    if form.validate_on_submit():
        note = (form.note.data or "").strip()
        with refusals_onto(form):
            lifecycle.reject(petition, form.reason.data, note=note)
            return saved(_("The petition is rejected; the author is told why."),
                         url_for("petitions_admin.moderation"))
    return _review(petition, status=422, reject_form=form)


def _count(status: str) -> int:
    return db.session.scalar(select(func.count(Petition.id)).where(Petition.status == status))


def _awaiting_moderation(user) -> DashboardPanel:
    return DashboardPanel(_count("moderation"), [
        DashboardItem(str(_l("Open the moderation queue")), url_for("petitions_admin.moderation"))])


def _awaiting_clerk(user) -> DashboardPanel:
    return DashboardPanel(_count("submitted"), [
        DashboardItem(str(_l("Petitions for the Sakrebulo")),
                      url_for("petitions_admin.index", status="submitted"))])


register_provider(DashboardProvider(
    "petitions_moderation", _l("Petitions awaiting moderation"), "petitions.moderate",
    _awaiting_moderation, feature="petitions"))
register_provider(DashboardProvider(
    "petitions_submitted", _l("Petitions that reached the threshold, awaiting the clerk"),
    "petitions.clerk", _awaiting_clerk, feature="petitions"))


