"""The clerk's members' activity reports: a year's overview, and per member and year writing
the text, attaching a file, publishing and taking the report back. Every change is audited."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin import council_queries as q
from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.council import reports as verbs
from portal.blueprints.sessions.council import year_figures as figures
from portal.blueprints.sessions.models import MemberReport
from portal.extensions import get_or_404
from portal.services import audit, uploads
from portal.services.sanitize import clean_html
from portal.web.forms import BaseForm, ConfirmForm
from portal.web.inputs import int_arg
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to


class ReportForm(BaseForm):
    text = TextAreaField(
        _l("Report"),
        description=_l("Plain text (a blank line starts a new paragraph) or simple HTML."),
        validators=[Optional(), Length(max=verbs.TEXT_LIMIT)], render_kw={"rows": 12})
    file = FileField(_l("Attached file"),
                     description=_l("PDF, Word (DOCX), ODT, PNG or JPEG, at most 10 MB."))
    remove_file = BooleanField(_l("Remove the attached file"))


def _year(year: int) -> int:
    if not figures.year_is_valid(year):
        abort(404)
    return year


@bp.get("/reports/")
@requires("sessions.edit")
def reports():
    now = figures.today().year
    year = int_arg("year", now, minimum=figures.FIRST_YEAR, maximum=now + figures.YEARS_AHEAD)
    years = sorted({now, year} | {y for y in queries.years() if y <= now}, reverse=True)
    return render("sessions/admin/reports.html", year=year, years=years,
                  rows=figures.year_table(year, published_only=False))


def _page(member_id: int, year: int, *, form: ReportForm | None = None, status: int = 200):
    member = q.member_for_edit(member_id)
    report = figures.report_for(member.id, _year(year), published_only=False)
    if form is None:
        form = ReportForm(formdata=None, data={"text": verbs.editable_text(report.body) if report else ""})
    return render("sessions/admin/report.html", status=status, member=member, year=year,
                  report=report, form=form, confirm=ConfirmForm(formdata=None),
                  preview=clean_html(report.body) if report else "",
                  data=figures.member_year(member, year))


@bp.route("/members/<int:member_id>/reports/<int:report_year>", methods=["GET", "POST"])
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.member_report", limit=verbs.FILE_LIMIT)
def member_report(member_id: int, report_year: int):
    year = report_year
    if request.method == "GET":
        return _page(member_id, year)
    member = q.member_for_edit(member_id)
    _year(year)
    form = ReportForm()
    if form.validate_on_submit():
        existing = figures.report_for(member.id, year, published_only=False)
        before = verbs.report_values(existing) if existing else {}
        with refusals_onto(form):
            report = verbs.save_report(member, year, text=form.text.data or "",
                                       upload=form.file.data, remove_file=form.remove_file.data)
            changed = audit.changes(before, verbs.report_values(report))
            audit.record("member_report.save", target=f"member_report:{report.id}",
                         before=changed[0] or None, after=changed[1])
            return saved(_("Report saved."), url_for("sessions_admin.member_report",
                                                     member_id=member.id, report_year=year))
    return _page(member_id, year, form=form, status=422)


def _report(report_id: int) -> MemberReport:
    return get_or_404(MemberReport, report_id)


def _switch(report_id: int, publish: bool, message: str):
    report = _report(report_id)
    back = url_for("sessions_admin.member_report", member_id=report.member_id, report_year=report.year)
    if not ConfirmForm().validate_on_submit():
        return _page(report.member_id, report.year, status=422)
    before = verbs.report_values(report)
    # Recorded even when it changed nothing: a second click is still an act.
    (verbs.publish if publish else verbs.unpublish)(report)
    audit.record("member_report.publish" if publish else "member_report.unpublish",
                 target=f"member_report:{report.id}", before=before,
                 after=verbs.report_values(report))
    return saved(message, back)


@bp.post("/reports/<int:report_id>/publish")
@requires("sessions.edit")
def publish_report(report_id: int):
    return _switch(report_id, True, _("Report published."))


@bp.post("/reports/<int:report_id>/unpublish")
@requires("sessions.edit")
def unpublish_report(report_id: int):
    return _switch(report_id, False, _("Report taken off the public pages."))


@bp.get("/reports/<int:report_id>/file")
@requires("sessions.edit")
def report_file(report_id: int):
    """The attached file, published or not, for the clerk."""
    report = _report(report_id)
    if not report.file_path:
        abort(404)
    return uploads.download(report.file_path, mimetype=report.file_type, name=report.file_name)

