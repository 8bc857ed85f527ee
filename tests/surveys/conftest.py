"""Surveys' fixtures: an editor of each municipality (editors hold ``surveys.manage``), the
rows read back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.blueprints.surveys.models import Survey, SurveyAnswer, SurveyResponse
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in


def _editor(app, staff, tenant, lang):
    client = app.test_client()
    signed_in(client, staff(tenant, ["editor"], email=f"editor-{lang}@{tenant.slug}.example.org"))
    client.set_cookie("lang", lang)
    return client


@pytest.fixture
def poti_editor(app, staff, poti):
    return _editor(app, staff, poti, "en")


@pytest.fixture
def abasha_editor(app, staff, abasha):
    return _editor(app, staff, abasha, "en")


def post(client, url, data=None, *, form_page=None, headers=None):
    """POST ``data`` with a CSRF token read from ``form_page`` (default: the same URL)."""
    data = dict(data or {})
    page = client.get(form_page or url)
    data["csrf_token"] = csrf_token(page.text)
    return client.post(url, data=data, headers=headers or {})


def survey(app, tenant, survey_id) -> Survey:
    with app.app_context(), tenant_context(tenant):
        found = db.session.get(Survey, survey_id)
        db.session.expunge_all()
        return found


def responses(app, tenant, survey_id) -> int:
    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(func.count(SurveyResponse.id))
                                 .where(SurveyResponse.survey_id == survey_id))


def answers(app, tenant, survey_id) -> list[tuple[int, str, int | None]]:
    with app.app_context(), tenant_context(tenant):
        return [tuple(r) for r in db.session.execute(
            select(SurveyAnswer.question_id, SurveyAnswer.value, SurveyAnswer.rank)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id).order_by(SurveyAnswer.id))]
