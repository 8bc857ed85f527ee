"""The applicant's pages (a signed-in citizen): start an application for an open call, save
the draft and come back to it, recalculate the budget (htmx in place, or a button without
JavaScript), submit before the deadline, the receipt; once announced, the decision and the
project's reports. Every page is the author's only: another's application is a 404."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.grants import applications, bp, files, reports
from portal.blueprints.grants.applications import MAX_LINES
from portal.blueprints.grants.forms import KIND_LABELS, ApplicationForm, ReportForm, read_lines
from portal.blueprints.grants.labels import REPORT_LABELS, STATUS_LABELS
from portal.blueprints.grants.models import GrantApplication, GrantCompetition, GrantFile
from portal.blueprints.grants.money import plain
from portal.extensions import db, get_or_404
from portal.i18n import current_lang
from portal.tenancy import get_current_tenant
from portal.web.forms import ConfirmForm
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto
from portal.web.uploads import too_large_returns_to

FIELDS = ("applicant_kind", "organisation", "registration_number", "contact_name", "email",
          "phone", "title", "summary", "description", "target_groups", "activities")


def own(application_id: int) -> GrantApplication:
    """The signed-in author's application (looked up first: a foreign id is a 404 for all)."""
    found = get_or_404(GrantApplication, application_id)
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    if found.author_id != current_user.id:
        abort(404)
    return found


@bp.route("/<int:competition_id>/apply", methods=["GET", "POST"])
def apply(competition_id: int):
    # Looked up first, so another municipality's id is a 404 for everyone.
    competition = get_or_404(GrantCompetition, competition_id)
    if not competition.is_published:
        abort(404)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        with refusals_onto(form):
            application = applications.start(competition, current_user, locale=current_lang())
            db.session.commit()
            return redirect(url_for("grants.mine", application_id=application.id), code=303)
    return render("grants/apply.html", status=422 if request.method == "POST" else 200,
                  competition=competition, form=form, is_open=applications.is_open(competition))


def _rows(lines) -> list[tuple[str, str]]:
    """The budget table's rows as shown: (item, amount as typed), padded with empty rows."""
    rows = [(line.item, line.typed if hasattr(line, "typed") else plain(line.amount))
            for line in lines][:MAX_LINES]
    return rows + [("", "")] * (MAX_LINES - len(rows))


def _page(application: GrantApplication, form=None, lines=None, *, status: int = 200,
          block: str | None = "application_form", report_form=None):
    competition = application.competition_row
    if form is None:
        form = ApplicationForm(formdata=None, obj=application)
    shown = lines if lines is not None else applications.lines_of(application)
    total = applications.total(lines) if lines is not None else application.requested_amount
    return render("grants/application.html", block=block if application.status == "draft" else None,
                  status=status, application=application, competition=competition, form=form,
                  rows=_rows(shown), total=total, problem=applications.limit_problem(competition, total),
                  attachments=files.of(application_id=application.id),
                  is_open=applications.is_open(competition), number=applications.number(application),
                  status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
                  reports=reports.of_application(application.id), report_labels=REPORT_LABELS,
                  spent=reports.spent, report_form=report_form or ReportForm(formdata=None),
                  shown_status=shown_status(application, competition))


def _load(application_id: int) -> GrantApplication:
    application = own(application_id)
    application.competition_row = db.session.get(GrantCompetition, application.competition_id)
    return application


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@too_large_returns_to("grants.mine", limit=files.LIMIT)
def mine(application_id: int):
    application = _load(application_id)
    if request.method == "GET":
        return _page(application, block=None)
    form = ApplicationForm()
    lines = read_lines(request.form)
    action = request.form.get("action", "save")
    if form.validate_on_submit():
        with refusals_onto(form) as refused:
            checked = files.check_all(request.files.getlist("attachments"), field="attachments",
                                      already=len(files.of(application_id=application.id)))
            values = {name: (getattr(form, name).data or "").strip() for name in FIELDS}
            applications.save(application, application.competition_row, fields=values,
                              lines=lines, locale=current_lang())
            files.attach(checked, application_id=application.id)
            removed = {int(v) for v in request.form.getlist("remove") if v.isdigit()}
            files.remove([f for f in files.of(application_id=application.id) if f.id in removed])
            db.session.commit()
        if not refused and action == "submit":
            # The draft is kept as typed even when submitting is refused.
            with refusals_onto(form):
                applications.submit(application, application.competition_row)
                db.session.commit()
                return _to(url_for("grants.receipt", application_id=application.id))
            application = _load(application_id)
        elif not refused and action == "recalculate":
            return _page(application)
        elif not refused:
            flash(_("The draft is saved. You can come back to it from your page."), "info")
            return _to(url_for("grants.mine", application_id=application.id))
    return _page(application, form, lines, status=422)


@bp.route("/applications/<int:application_id>/budget", methods=["GET", "POST"])
def budget(application_id: int):
    """The budget's total for what is typed now (htmx, on every change); saves nothing. A GET
    (no form) goes to the application."""
    application = _load(application_id)
    if request.method == "GET":
        return redirect(url_for("grants.mine", application_id=application.id), code=303)
    lines = read_lines(request.form)
    total = applications.total(lines)
    return render("grants/application.html", block="budget_total", application=application,
                  competition=application.competition_row, total=total,
                  problem=applications.limit_problem(application.competition_row, total),
                  bad=[line.typed for line in lines if line.typed and line.amount is None])


@bp.get("/applications/<int:application_id>/receipt")
def receipt(application_id: int):
    application = _load(application_id)
    if application.status == "draft":
        return redirect(url_for("grants.mine", application_id=application.id), code=303)
    return render("grants/receipt.html", application=application,
                  competition=application.competition_row, number=applications.number(application),
                  lines=applications.lines_of(application))


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
def attachment(application_id: int, attachment_id: int):
    application = own(application_id)
    row = get_or_404(GrantFile, attachment_id)
    if row.application_id != application.id:
        abort(404)
    return files.download(row)


@bp.route("/applications/<int:application_id>/reports", methods=["GET", "POST"])
@too_large_returns_to("grants.mine", limit=files.LIMIT)
def report(application_id: int):
    application = _load(application_id)
    if request.method == "GET":  # the form is on the application's page
        return redirect(url_for("grants.mine", application_id=application.id), code=303)
    form = ReportForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            checked = files.check_all(request.files.getlist("photos"), field="photos",
                                      allowed=files.PHOTOS)
            written = reports.add(application, application.competition_row, kind=form.kind.data,
                                  text=form.text.data, lines=read_lines(request.form))
            files.attach(checked, report_id=written.id)
            db.session.commit()
            flash(_("The report is published with the project."), "info")
            return _to(url_for("grants.mine", application_id=application.id))
    return _page(application, report_form=form, status=422, block=None)


def _to(url: str):
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)


def _my_applications(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()
    if tenant is None or not tenant.has_feature("grants"):
        return []
    return [(f"{a.title or _('(untitled)')} — {STATUS_LABELS[shown_status(a, a.competition)]}",
             url_for("grants.mine", application_id=a.id)) for a in applications.of_author(user.id)]


def shown_status(application: GrantApplication, competition: GrantCompetition) -> str:
    """What the applicant is told: a decision only once the results are announced."""
    if application.status in ("funded", "not_funded") and competition.announced_at is None:
        return "submitted"
    return application.status


register_my_items(MyItemsProvider("grant_applications", _l("My grant applications"),
                                  _my_applications))
