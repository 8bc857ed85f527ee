"""Public pages: the calls, one call (aims, who may apply, limits, dates, criteria,
documents, results once announced), the funded projects with their totals, and a funded
project with its reports and photos."""

from __future__ import annotations

from flask import abort

from portal.blueprints.grants import bp, evaluation, files, queries, reports
from portal.blueprints.grants.applications import is_open
from portal.blueprints.grants.labels import KIND_LABELS, REPORT_LABELS
from portal.blueprints.grants.models import GrantCompetition, GrantFile
from portal.extensions import get_or_404
from portal.web.rendering import render_public


def _published(competition_id: int) -> GrantCompetition:
    competition = get_or_404(GrantCompetition, competition_id)
    if not competition.is_published:
        abort(404)
    return competition


@bp.get("/")
def index():
    return render_public("grants/index.html", is_open=is_open, compute=lambda: {
        "competitions": queries.published(), "totals": queries.totals()})


@bp.get("/<int:competition_id>")
def competition(competition_id: int):
    found = _published(competition_id)
    announced = found.announced_at is not None
    return render_public("grants/competition.html", competition=found, is_open=is_open(found),
                         compute=lambda: {
                             "criteria": evaluation.competition_criteria(found),
                             "documents": files.of(competition_id=found.id),
                             "funded": queries.funded(found.id) if announced else [],
                             "totals": queries.totals(found.id) if announced else []})


@bp.get("/<int:competition_id>/documents/<int:attachment_id>")
def document(competition_id: int, attachment_id: int):
    found = _published(competition_id)
    row = get_or_404(GrantFile, attachment_id)
    if row.competition_id != found.id:
        abort(404)
    return files.download(row)


@bp.get("/funded")
def funded():
    return render_public("grants/funded.html", kind_labels=KIND_LABELS, compute=lambda: {
        "projects": queries.funded(), "totals": queries.totals()})


@bp.get("/projects/<int:application_id>")
def project(application_id: int):
    found = queries.funded_one(application_id)
    if found is None:
        abort(404)
    def compute() -> dict:
        written = reports.of_application(found.id)
        return {"reports": written, "photos": files.of_many("report_id", [r.id for r in written])}

    return render_public("grants/project.html", project=found, competition=found.competition,
                         spent=reports.spent, report_labels=REPORT_LABELS, kind_labels=KIND_LABELS,
                         compute=compute)


@bp.get("/projects/<int:application_id>/photos/<int:photo_id>")
def photo(application_id: int, photo_id: int):
    found = queries.funded_one(application_id)
    row = get_or_404(GrantFile, photo_id)
    if found is None or row.report_id is None or row.report_id not in {
            r.id for r in reports.of_application(found.id)}:
        abort(404)
    return files.download(row)
