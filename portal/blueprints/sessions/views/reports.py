"""Public pages of the members' activity reports: a member's year (seats, attendance, agenda
items reported, the published report) and every member's attendance and report for a year."""

from __future__ import annotations

from flask import abort, redirect, url_for

from portal.blueprints.sessions import bp
from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.council import year_figures as figures
from portal.blueprints.sessions.models import MemberReport
from portal.extensions import get_or_404
from portal.services import uploads
from portal.services.sanitize import clean_html
from portal.web.rendering import render


def _valid(year: int) -> int:
    if not figures.year_is_valid(year):
        abort(404)
    return year


@bp.get("/members/<member_slug>/<int:report_year>")
def member_year(member_slug: str, report_year: int):
    year = report_year
    member = queries.member_by_slug(member_slug)
    if member is None:
        abort(404)
    report = figures.report_for(member.id, _valid(year))
    return render("sessions/member_year.html", member=member, year=year,
                  data=figures.member_year(member, year), report=report,
                  report_html=clean_html(report.body) if report else "",
                  years=figures.member_years(member, queries.years()))


@bp.get("/reports/")
def reports_index():
    """The latest year with sessions (or this year): the list of reports starts there."""
    now = figures.today().year
    year = next((y for y in queries.years() if y <= now), now)
    return redirect(url_for("sessions.reports", report_year=year), code=302)


@bp.get("/reports/<int:report_year>")
def reports(report_year: int):
    year = report_year
    now = figures.today().year
    years = sorted({y for y in queries.years() if y <= now} | set(figures.report_years())
                   | {_valid(year)}, reverse=True)
    return render("sessions/reports.html", year=year, rows=figures.year_table(year),
                  years=years)


@bp.get("/reports/files/<int:report_id>")
def report_file(report_id: int):
    """A published report's attached file, as a download."""
    report = get_or_404(MemberReport, report_id)
    if not report.is_published or not report.file_path:
        abort(404)
    return uploads.download(report.file_path, mimetype=report.file_type, name=report.file_name)
