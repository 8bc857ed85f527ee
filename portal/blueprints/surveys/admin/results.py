"""A survey's results for staff: live (whatever the publication), with the filter by an
answer and the newest texts; the CSV export (a logged read: texts may hold personal data);
the printable report (every chart and table on one page, print CSS)."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.blueprints.surveys import exports
from portal.blueprints.surveys.admin import bp
from portal.blueprints.surveys.admin.views import PERMISSION, load
from portal.blueprints.surveys.views import results_response
from portal.db import utcnow, writes_on_read
from portal.extensions import db
from portal.services import audit
from portal.web.permissions import requires


@bp.get("/<int:survey_id>/results")
@requires(PERMISSION)
def results(survey_id: int):
    return results_response(load(survey_id), "surveys/admin/results.html", staff=True)


@bp.get("/<int:survey_id>/report")
@requires(PERMISSION)
def report(survey_id: int):
    return results_response(load(survey_id), "surveys/report.html", staff=True)


@bp.get("/<int:survey_id>/results.csv")
@writes_on_read
@requires(PERMISSION)
def export(survey_id: int):
    survey = load(survey_id)
    audit.record_read("survey_answers", target=f"survey:{survey.id}")
    body = exports.to_csv(survey, current_user.email, utcnow())
    db.session.commit()
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="survey-{survey.id}.csv"'
    return response
