"""The survey builder: the list, a new survey or poll (or the yearly one from its template),
a survey's page (sections, questions, status, results' publication), its settings, sections
and questions. Every action is a POST form (PRG with 303), audited by ``building``."""

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
from portal.blueprints.surveys import answering, building, yearly
from portal.blueprints.surveys.admin import bp
from portal.blueprints.surveys.admin.forms import (
    ACCESS_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    QuestionForm,
    SectionForm,
    StatusForm,
    SurveyForm,
    TemplateForm,
)
from portal.blueprints.surveys.models import Survey, SurveyResponse
from portal.extensions import db, get_or_404
from portal.i18n import to_local
from portal.web.forms import ConfirmForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PERMISSION = "surveys.manage"
LABELS = {"access_labels": ACCESS_LABELS, "kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS}


def load(survey_id: int) -> Survey:
    return get_or_404(Survey, survey_id)


@bp.get("/")
@requires(PERMISSION)
def index():
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.id.desc())))
    counts = dict(db.session.execute(select(SurveyResponse.survey_id, func.count(SurveyResponse.id))
                                     .group_by(SurveyResponse.survey_id)).all())
    return render("surveys/admin/index.html", surveys=surveys, counts=counts,
                  states={s.id: answering.state(s) for s in surveys},
                  template_form=TemplateForm(formdata=None), **LABELS)


def _settings_page(form, survey: Survey | None, kind: str, status: int = 200):
    return render("surveys/admin/settings.html", form=form, survey=survey, kind=kind, status=status)


@bp.route("/new", methods=["GET", "POST"])
@requires(PERMISSION)
def new():
    kind = "poll" if request.values.get("kind") == "poll" else "survey"
    form = SurveyForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            survey = building.create_survey(kind=kind, **form.values())
            return saved(_("The survey is created."), url_for("surveys_admin.survey", survey_id=survey.id))
    return _settings_page(form, None, kind, 422 if request.method == "POST" else 200)


@bp.post("/from-template")
@requires(PERMISSION)
def from_template():
    form = TemplateForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            survey = yearly.create(form.year.data)
            return saved(_("The yearly satisfaction survey is created as a draft."),
                         url_for("surveys_admin.survey", survey_id=survey.id))
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.id.desc())))
    return render("surveys/admin/index.html", status=422, surveys=surveys, counts={},
                  states={s.id: answering.state(s) for s in surveys}, template_form=form, **LABELS)


def survey_page(survey: Survey, *, status: int = 200, **forms):
    forms.setdefault("section_form", SectionForm(formdata=None))
    forms.setdefault("status_form", StatusForm(formdata=None, status=survey.status))
    return render("surveys/admin/survey.html", status=status, survey=survey,
                  pages=answering.pages(survey), state=answering.state(survey),
                  responses=building.response_count(survey),
                  questions={q.id: q for q in survey.questions}, **forms, **LABELS)


@bp.get("/<int:survey_id>")
@requires(PERMISSION)
def survey(survey_id: int):
    return survey_page(load(survey_id))


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@requires(PERMISSION)
def settings(survey_id: int):
    found = load(survey_id)
    form = SurveyForm(obj=found if request.method == "GET" else None)
    if request.method == "GET":
        form.opens_at.data, form.closes_at.data = to_local(found.opens_at), to_local(found.closes_at)
    if form.validate_on_submit():
        with refusals_onto(form):
            building.update_survey(found, **form.values())
            return saved(_("The settings are saved."), url_for("surveys_admin.survey", survey_id=found.id))
    return _settings_page(form, found, found.kind, 422 if request.method == "POST" else 200)


@bp.post("/<int:survey_id>/status")
@requires(PERMISSION)
def status(survey_id: int):
    found = load(survey_id)
    form = StatusForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            building.set_status(found, form.status.data)
            return saved(_("The status is changed."), url_for("surveys_admin.survey", survey_id=found.id))
    return survey_page(found, status=422, status_form=form)


@bp.post("/<int:survey_id>/publication")
@requires(PERMISSION)
def publication(survey_id: int):
    found = load(survey_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        public = request.form.get("public") == "1"
        building.set_results_public(found, public)
        return saved(_("The results are public.") if public else _("The results are for staff only."),
                     url_for("surveys_admin.survey", survey_id=found.id))
    return survey_page(found, status=422)


@bp.post("/<int:survey_id>/delete")
@requires(PERMISSION)
def delete(survey_id: int):
    found = load(survey_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form) as refused:
            building.delete_survey(found)
            return saved(_("The survey is deleted."), url_for("surveys_admin.index"))
        if refused:
            return survey_page(load(survey_id), status=422, section_form=_with_error(refused))
    return survey_page(found, status=422)


def _with_error(refused) -> SectionForm:
    form = SectionForm(formdata=None)
    form.form_errors = [str(refused.error)]
    return form


@bp.post("/<int:survey_id>/sections")
@requires(PERMISSION)
def add_section(survey_id: int):
    found = load(survey_id)
    form = SectionForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            building.save_section(found, None, **_section_values(form))
            return saved(_("The section is added."), url_for("surveys_admin.survey", survey_id=found.id))
        found = load(survey_id)
    return survey_page(found, status=422, section_form=form)


def _section_values(form: SectionForm) -> dict:
    return {"title": form.title.data or "", "title_en": form.title_en.data or "",
            "description": form.description.data or "", "description_en": form.description_en.data or ""}


@bp.route("/<int:survey_id>/sections/<int:section_id>", methods=["GET", "POST"])
@requires(PERMISSION)
def section(survey_id: int, section_id: int):
    found = load(survey_id)
    part = building.section_of(found, section_id) or abort(404)
    form = SectionForm(obj=part if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusals_onto(form):
            building.save_section(found, part, **_section_values(form))
            return saved(_("The section is saved."), url_for("surveys_admin.survey", survey_id=found.id))
    return render("surveys/admin/section.html", survey=found, section=part, form=form,
                  status=422 if request.method == "POST" else 200)


@bp.post("/<int:survey_id>/sections/<int:section_id>/delete")
@requires(PERMISSION)
def delete_section(survey_id: int, section_id: int):
    found = load(survey_id)
    part = building.section_of(found, section_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form) as refused:
            building.delete_section(found, part)
            return saved(_("The section is deleted."), url_for("surveys_admin.survey", survey_id=found.id))
        if refused:
            return survey_page(load(survey_id), status=422, section_form=_with_error(refused))
    return survey_page(found, status=422)


def _question_page(survey: Survey, question, form: QuestionForm, status: int = 200):
    return render("surveys/admin/question.html", survey=survey, question=question, form=form,
                  status=status, has_units=bool(building.units()),
                  answered=bool(building.response_count(survey)))


def _question_form(survey: Survey, question=None) -> QuestionForm:
    if request.method == "GET" and question is not None:
        form = QuestionForm(formdata=None, obj=question)
        form.options.data = building.options_text(question.options or [])
        form.condition.data = [f"{question.condition_question_id}:{v}" for v in question.condition_values or []]
    else:
        form = QuestionForm()
    section_id = form.section_id.data if request.method == "POST" else (
        question.section_id if question else request.args.get("section_id", type=int))
    chosen = building.section_of(survey, section_id or 0) or (survey.sections[-1] if survey.sections else None)
    if request.method == "GET" and question is None and chosen is not None:
        form.section_id.data = chosen.id
    form.set_choices(survey.sections, building.condition_choices(survey, chosen, question))
    return form


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@requires(PERMISSION)
def new_question(survey_id: int):
    found = load(survey_id)
    form = _question_form(found)
    if form.validate_on_submit():
        with refusals_onto(form):
            building.save_question(found, None, **form.values())
            return saved(_("The question is added."), url_for("surveys_admin.survey", survey_id=found.id))
        found = load(survey_id)
    return _question_page(found, None, form, 422 if request.method == "POST" else 200)


@bp.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@requires(PERMISSION)
def question(survey_id: int, question_id: int):
    found = load(survey_id)
    asked = building.question_of(found, question_id) or abort(404)
    form = _question_form(found, asked)
    if request.method == "POST" and form.validate_on_submit():
        with refusals_onto(form):
            building.save_question(found, asked, **form.values())
            return saved(_("The question is saved."), url_for("surveys_admin.survey", survey_id=found.id))
        found = load(survey_id)
        asked = building.question_of(found, question_id)
    return _question_page(found, asked, form, 422 if request.method == "POST" else 200)


@bp.post("/<int:survey_id>/questions/<int:question_id>/delete")
@requires(PERMISSION)
def delete_question(survey_id: int, question_id: int):
    found = load(survey_id)
    asked = building.question_of(found, question_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form) as refused:
            building.delete_question(found, asked)
            return saved(_("The question is deleted."), url_for("surveys_admin.survey", survey_id=found.id))
        if refused:
            return survey_page(load(survey_id), status=422, section_form=_with_error(refused))
    return survey_page(found, status=422)


def _panel(user) -> DashboardPanel:
    surveys = list(db.session.scalars(select(Survey).where(Survey.status == "published")))
    open_now = [s for s in surveys if answering.state(s) == "open"]
    return DashboardPanel(len(open_now), [
        DashboardItem(_("Open surveys and polls: %(count)s", count=len(open_now)),
                      url_for("surveys_admin.index"))])


register_provider(DashboardProvider("surveys", _l("Surveys and polls"), PERMISSION, _panel,
                                    feature="surveys"))
