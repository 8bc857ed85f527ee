"""The editors' list of projects, writing one, publishing and unpublishing it, posting and
deleting updates (with photos); each action audit-logged before the one commit."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.projects import services, topics
from portal.blueprints.projects.admin import bp
from portal.blueprints.projects.admin.forms import ProjectForm, UpdateForm
from portal.blueprints.projects.labels import STATUS_LABELS
from portal.blueprints.projects.models import Project, ProjectUpdate
from portal.blueprints.projects.views.public import unit_choices
from portal.extensions import db, get_or_404
from portal.services import audit
from portal.services.geometry import place
from portal.services.images import MAX_BYTES
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import publication, refusals_onto, saved, saved_changes
from portal.web.uploads import too_large_returns_to

PER_PAGE = 25
STATE_LABELS = {"draft": _l("Draft"), "published": _l("Published")}


@bp.get("/")
@requires("projects.edit")
def index():
    wanted = request.args.get("state") if request.args.get("state") in STATE_LABELS else ""
    statement = select(Project)
    if wanted:
        statement = statement.where(Project.is_published.is_(wanted == "published"))
    rows = paginate(statement.order_by(Project.updated_at.desc(), Project.id.desc()), page_arg(), PER_PAGE)
    return render("projects/admin/index.html", block="results", rows=rows, wanted=wanted,
                  state_labels=STATE_LABELS, status_labels=STATUS_LABELS)


def _project_form(project: Project | None) -> ProjectForm:
    pairs = place(project.location).as_pairs() if project is not None and place(project.location) else ""
    return ProjectForm(obj=project, project=project, units=unit_choices(), place_pairs=pairs)


def _edit_page(project: Project, form: ProjectForm | None = None, update_form: UpdateForm | None = None,
               *, status: int = 200):
    updates = list(db.session.scalars(
        select(ProjectUpdate).where(ProjectUpdate.project_id == project.id)
        .options(selectinload(ProjectUpdate.photos))
        .order_by(ProjectUpdate.happened_on.desc(), ProjectUpdate.id.desc())))
    return render("projects/admin/edit.html", status=status, form=form or _project_form(project),
                  update_form=update_form or UpdateForm(), project=project, updates=updates,
                  state_labels=STATE_LABELS)


def _save(project: Project | None, form: ProjectForm):
    return saved_changes(form, project, lambda: services.save_project(project, **form.values()),
                         services.project_values, action="projects", target=lambda p: f"project:{p.id}",
                         url=lambda p: url_for("projects_admin.edit", project_id=p.id))


@bp.route("/new", methods=["GET", "POST"])
@requires("projects.edit")
def new():
    form = _project_form(None)
    if form.validate_on_submit() and (done := _save(None, form)):
        return done
    return render("projects/admin/new.html", status=422 if request.method == "POST" else 200, form=form)


@bp.route("/<int:project_id>", methods=["GET", "POST"])
@requires("projects.edit")
def edit(project_id: int):
    project = get_or_404(Project, project_id)
    form = _project_form(project)
    if form.validate_on_submit() and (done := _save(project, form)):
        return done
    return _edit_page(project, form, status=422 if request.method == "POST" else 200)


@bp.post("/<int:project_id>/publish")
@requires("projects.edit")
def publish(project_id: int):
    project = get_or_404(Project, project_id)
    return publication(True, lambda: services.publish(project), action="projects.publish",
                       target=f"project:{project.id}", message=_("The project is published."),
                       url=url_for("projects_admin.edit", project_id=project.id),
                       announce=lambda: topics.announce_project(project)) or _edit_page(project, status=422)


@bp.post("/<int:project_id>/unpublish")
@requires("projects.edit")
def unpublish(project_id: int):
    project = get_or_404(Project, project_id)
    return publication(False, lambda: services.unpublish(project), action="projects.unpublish",
                       target=f"project:{project.id}", message=_("The project is a draft again."),
                       url=url_for("projects_admin.edit", project_id=project.id)) or _edit_page(project, status=422)


@bp.post("/<int:project_id>/updates")
@requires("projects.edit")
@too_large_returns_to("projects_admin.edit", limit=MAX_BYTES)
def post_update(project_id: int):
    project = get_or_404(Project, project_id)
    form = UpdateForm()
    if form.validate_on_submit():
        upload = form.photo.data
        data = None
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.read(MAX_BYTES + 1)
            upload.close()
        with refusals_onto(form):
            update = services.post_update(project, happened_on=form.happened_on.data, body=form.body.data,
                                          body_en=form.body_en.data or "", photo=data,
                                          alt=form.photo_alt.data or "", alt_en=form.photo_alt_en.data or "")
            audit.record("projects.update_posted", target=f"project:{project.id}",
                         after=services.update_values(update) | {"photo": data is not None})
            if project.is_published:
                topics.announce_update(project, update)
            return saved(_("The update is posted."), url_for("projects_admin.edit", project_id=project.id))
        project = get_or_404(Project, project_id)  # the refusal rolled the session back
    return _edit_page(project, update_form=form, status=422)


@bp.post("/<int:project_id>/updates/<int:project_update_id>/delete")
@requires("projects.edit")
def delete_update(project_id: int, project_update_id: int):
    project = get_or_404(Project, project_id)
    update = db.session.scalar(
        select(ProjectUpdate).where(ProjectUpdate.id == project_update_id, ProjectUpdate.project_id == project.id)
        .options(selectinload(ProjectUpdate.photos)))
    if update is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("projects.update_deleted", target=f"project:{project.id}", before=services.update_values(update))
        services.delete_update(update, list(update.photos))
        return saved(_("The update is deleted."), url_for("projects_admin.edit", project_id=project.id))
    return _edit_page(project, status=422)


def _counts(user) -> DashboardPanel:
    drafts = db.session.scalar(select(func.count(Project.id)).where(Project.is_published.is_(False)))
    running = db.session.scalar(select(func.count(Project.id)).where(
        Project.is_published.is_(True), Project.status == "in_progress"))
    return DashboardPanel(drafts, [
        DashboardItem(_("Drafts: %(count)d", count=drafts), url_for("projects_admin.index", state="draft")),
        DashboardItem(_("In progress: %(count)d", count=running), url_for("projects_admin.index", state="published"))])


register_provider(DashboardProvider("projects_pending", _l("Infrastructure projects"), "projects.edit",
                                    _counts, feature="projects"))
