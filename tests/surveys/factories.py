"""Surveys' things for the URL-map walks (see tests/factories.py): a published survey (open,
confirmed by e-mail, results public) and its e-mail link for the public pages; a draft with
two sections and a question for the builder; and valid forms for the builder's POST routes."""

from __future__ import annotations

from datetime import timedelta

from portal.blueprints.surveys import building, identity
from portal.blueprints.surveys.models import Survey
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission


def make_survey(app, tenant, *, kind: str = "survey", access: str = "anyone", status: str = "published",
                title: str = "ქუჩების დასუფთავება", results_public: bool = True,
                questions: tuple = (("single", "კმაყოფილი ხართ?", "დიახ | Yes\nარა | No"),),
                sections: int = 1, **values) -> dict:
    """A committed survey of ``tenant``: {"survey": id, "sections": [ids], "questions": [ids]}."""
    with app.app_context(), tenant_context(tenant):
        survey = building.create_survey(kind=kind, title=title, title_en=values.pop("title_en", "Street cleaning"),
                                        access=access, opens_at=values.pop("opens_at", utcnow() - timedelta(days=1)),
                                        closes_at=values.pop("closes_at", None), **values)
        for _n in range(sections - 1):
            building.save_section(survey, None, title="მეორე", title_en="Second")
        made = []
        for n, (qkind, text, options) in enumerate(questions):
            section = survey.sections[min(n, len(survey.sections) - 1)]
            made.append(building.save_question(survey, None, section_id=section.id, kind=qkind, text=text,
                                               text_en=text, options=options, is_required=True).id)
        survey.status, survey.results_public = status, results_public
        db.session.commit()
        return {"survey": survey.id, "sections": [s.id for s in survey.sections], "questions": made}


def _public(objects) -> dict:
    return objects.once("survey:public", lambda: make_survey(objects.app, objects.tenant, access="email"))


def _draft(objects) -> dict:
    return objects.once("survey:draft", lambda: make_survey(
        objects.app, objects.tenant, status="draft", sections=2,
        questions=(("single", "პირველი", "ა | A\nბ | B"), ("single", "მეორე", "ა | A\nბ | B"))))


@factory("surveys", "survey_id")
def _public_survey(objects):
    return _public(objects)["survey"]


@factory("surveys", "link_token")
def _email_link(objects):
    survey_id = _public(objects)["survey"]
    with objects.app.test_request_context(), tenant_context(objects.tenant):
        survey = db.session.get(Survey, survey_id)
        return identity._link_signer().dumps({"s": survey.id, "t": objects.tenant.id, "e": "walk@example.ge"})


@factory("surveys_admin", "survey_id")
def _admin_survey(objects):
    return _draft(objects)["survey"]


@factory("surveys_admin", "section_id")
def _admin_section(objects):
    return _draft(objects)["sections"][-1]


@factory("surveys_admin", "question_id")
def _admin_question(objects):
    return _draft(objects)["questions"][0]


SETTINGS = {"title": "ახალი კვლევა", "title_en": "A new survey", "access": "anyone"}

submission("surveys_admin.new")(lambda objects, client: dict(SETTINGS))
submission("surveys_admin.from_template")(lambda objects, client: {"year": "2022"})
submission("surveys_admin.settings")(lambda objects, client: dict(SETTINGS))
submission("surveys_admin.status")(lambda objects, client: {"status": "published"})
submission("surveys_admin.publication")(lambda objects, client: {"public": "1"})
submission("surveys_admin.delete")(lambda objects, client: {})
submission("surveys_admin.add_section")(lambda objects, client: {"title": "მესამე", "title_en": "Third"})
submission("surveys_admin.section")(lambda objects, client: {"title": "შეცვლილი", "title_en": "Changed"})
submission("surveys_admin.delete_section")(lambda objects, client: {})
submission("surveys_admin.new_question")(lambda objects, client: {
    "section_id": objects.value("surveys_admin", "section_id"), "kind": "short_text", "text": "თქვენი აზრი"})
submission("surveys_admin.question")(lambda objects, client: {
    "section_id": _draft(objects)["sections"][0], "kind": "single", "text": "პირველი კითხვა",
    "options": "ა | A\nბ | B"})
submission("surveys_admin.delete_question")(lambda objects, client: {})
