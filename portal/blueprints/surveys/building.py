"""Staff build a survey: its settings, sections and questions, its status and whether its
results are public. Every verb flushes, never commits, records its audit entry and raises
``DomainError`` (naming the form's field) when a rule refuses.

Rules kept here: a condition refers to a choice question of an *earlier* section (decided on
the server when the page changes, so it works without JavaScript); choice questions have at
least two options; a unit question needs the municipality's units; a quick poll is one choice
question that anyone answers; once answers arrive, questions are no longer added, removed or
changed in kind or options (only their words).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.surveys.models import (
    ACCESS,
    CHOICE_KINDS,
    QUESTION_KINDS,
    WITH_OPTIONS,
    Question,
    Survey,
    SurveyResponse,
    SurveySection,
)
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.tenancy import current_tenant

MAX_OPTIONS = 20
MAX_SCALE = 10


def units() -> list[tuple[str, object]]:
    """The municipality's administrative units: (stored Georgian name, ka/en text)."""
    return [(u.ka, u) for u in current_tenant.config.facts.units]


def response_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id))
                             .where(SurveyResponse.survey_id == survey.id)) or 0


def _check_dates(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(_l("The survey must close after it opens."), field="closes_at")


def _settings(values: dict) -> dict:
    kind = values.get("kind", "survey")
    access = values.get("access") or "anyone"
    if access not in ACCESS:
        raise DomainError(_l("Choose who may answer."), field="access")
    if kind == "poll" and access != "anyone":
        raise DomainError(_l("A quick poll is open to anyone."), field="access")
    if not (values.get("title") or "").strip():
        raise DomainError(_l("Write the title in Georgian."), field="title")
    _check_dates(values.get("opens_at"), values.get("closes_at"))
    return {
        "title": values["title"].strip()[:300], "title_en": (values.get("title_en") or "").strip()[:300],
        "intro": (values.get("intro") or "").strip(), "intro_en": (values.get("intro_en") or "").strip(),
        "access": access, "keeps_contact": bool(values.get("keeps_contact")) and access != "anyone",
        "opens_at": values.get("opens_at"), "closes_at": values.get("closes_at"),
        "on_home": bool(values.get("on_home")) and kind == "poll",
    }


def create_survey(*, kind: str = "survey", **values) -> Survey:
    """A new draft survey (or poll) with a first section."""
    if kind not in ("survey", "poll"):
        raise DomainError(_l("Choose a survey or a quick poll."), field="kind")
    survey = Survey(kind=kind, status="draft", results_public=kind == "poll",
                    **_settings({**values, "kind": kind}))
    survey.sections.append(SurveySection(position=0))
    db.session.add(survey)
    db.session.flush()
    audit.record("surveys.created", target=f"survey:{survey.id}", after={"title": survey.title,
                                                                           "kind": kind})
    return survey


def update_survey(survey: Survey, **values) -> Survey:
    settings = _settings({**values, "kind": survey.kind})
    if settings["access"] != survey.access and response_count(survey):
        raise DomainError(_l("Who may answer cannot change once answers have arrived."),
                          field="access")
    before = {k: getattr(survey, k) for k in settings}
    for key, value in settings.items():
        setattr(survey, key, value)
    db.session.flush()
    old, new = audit.changes(before, settings)
    audit.record("surveys.updated", target=f"survey:{survey.id}", before=old, after=new)
    return survey


def set_status(survey: Survey, status: str) -> None:
    """Publish (open between its dates), close, or take back to draft (only without answers)."""
    if status not in ("draft", "published", "closed"):
        raise DomainError(_l("Choose a status."), field="status")
    if status == "published":
        questions = survey.questions
        if not questions:
            raise DomainError(_l("Add a question before publishing."), field="status")
        if survey.kind == "poll" and (len(questions) != 1 or questions[0].kind not in ("single", "unit")):
            raise DomainError(_l("A quick poll has exactly one single-choice question."),
                              field="status")
    if status == "draft" and response_count(survey):
        raise DomainError(_l("A survey with answers cannot go back to draft; close it instead."),
                          field="status")
    before = survey.status
    survey.status = status
    db.session.flush()
    audit.record("surveys.status_changed", target=f"survey:{survey.id}",
                 before={"status": before}, after={"status": status})


def set_results_public(survey: Survey, public: bool) -> None:
    survey.results_public = public
    db.session.flush()
    audit.record("surveys.results_published" if public else "surveys.results_hidden",
                 target=f"survey:{survey.id}")


def _locked(survey: Survey) -> None:
    if response_count(survey):
        raise DomainError(_l("Answers have arrived: questions and sections can no longer be "
                             "added, removed or changed in kind; only their words change."))


def save_section(survey: Survey, section: SurveySection | None, *, title: str = "",
                 title_en: str = "", description: str = "", description_en: str = "") -> SurveySection:
    if section is None:
        _locked(survey)
        if survey.kind == "poll":
            raise DomainError(_l("A quick poll has one section."))
        position = 1 + max((s.position for s in survey.sections), default=-1)
        section = SurveySection(position=position)
        survey.sections.append(section)
    section.title, section.title_en = title.strip()[:300], title_en.strip()[:300]
    section.description, section.description_en = description.strip(), description_en.strip()
    db.session.flush()
    audit.record("surveys.section_saved", target=f"survey:{survey.id}/section:{section.id}",
                 after={"title": section.title})
    return section


def delete_section(survey: Survey, section: SurveySection) -> None:
    _locked(survey)
    if len(survey.sections) <= 1:
        raise DomainError(_l("A survey keeps at least one section."))
    for question in list(survey.questions):
        if question.section_id == section.id:
            _drop_conditions_on(survey, question)
            survey.questions.remove(question)
    db.session.flush()  # the questions go before their section (no ORM link between them)
    survey.sections.remove(section)
    db.session.flush()
    audit.record("surveys.section_deleted", target=f"survey:{survey.id}/section:{section.id}")


def parse_options(text: str, existing: list | None = None) -> list[dict]:
    """Options from "Georgian | English" lines; an existing option keeps its stored value by
    its line's position (answers refer to values, not words)."""
    existing = existing or []
    options = []
    used = {o["value"] for o in existing}
    counter = len(existing)
    for n, line in enumerate(line for line in (text or "").splitlines() if line.strip()):
        ka, _sep, en = line.partition("|")
        if n < len(existing):
            value = existing[n]["value"]
        else:
            counter += 1
            while f"o{counter}" in used:
                counter += 1
            value = f"o{counter}"
            used.add(value)
        options.append({"value": value, "ka": ka.strip()[:200], "en": en.strip()[:200]})
    return options


def options_text(options: list[dict]) -> str:
    return "\n".join(f"{o['ka']} | {o['en']}" if o.get("en") else o["ka"] for o in options)


def condition_choices(survey: Survey, section: SurveySection | None,
                      question: Question | None = None) -> list[tuple[str, Question, dict]]:
    """("<question id>:<value>", question, option) for every option of the choice questions
    of sections before ``section``: what a condition may name."""
    if section is None:
        return []
    earlier = {s.id for s in survey.sections if s.position < section.position}
    found = []
    for q in survey.questions:
        if q.section_id in earlier and q.kind in CHOICE_KINDS + ("multiple",) and q is not question:
            found += [(f"{q.id}:{o['value']}", q, o) for o in answer_options(q)]
    return found


def answer_options(question: Question) -> list[dict]:
    """The options a question is answered with: its own, the units, or the rating's steps."""
    if question.kind == "unit":
        return [{"value": ka, "ka": u.ka, "en": u.en} for ka, u in units()]
    if question.kind == "rating":
        ends = {question.scale_min: (question.low_label, question.low_label_en),
                question.scale_max: (question.high_label, question.high_label_en)}
        found = []
        for n in range(question.scale_min, question.scale_max + 1):
            ka, en = ends.get(n, ("", ""))
            found.append({"value": str(n), "ka": f"{n} — {ka}" if ka else str(n),
                          "en": f"{n} — {en or ka}" if (en or ka) else str(n)})
        return found
    return list(question.options or [])


def save_question(survey: Survey, question: Question | None, *, section_id: int, kind: str,
                  text: str, text_en: str = "", help: str = "", help_en: str = "",
                  is_required: bool = False, options: str = "", scale_min: int = 1,
                  scale_max: int = 5, low_label: str = "", low_label_en: str = "",
                  high_label: str = "", high_label_en: str = "",
                  condition: list[str] | None = None) -> Question:
    """Add or change a question. Raises DomainError naming the field for a question without
    words, too few or too many options, a scale that is no scale, a unit question where the
    municipality has no units, or a condition on anything but one earlier choice question."""
    answered = bool(response_count(survey))
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        raise DomainError(_l("Choose a section of this survey."), field="section_id")
    if kind not in QUESTION_KINDS:
        raise DomainError(_l("Choose the kind of question."), field="kind")
    if survey.kind == "poll" and kind not in ("single", "unit"):
        raise DomainError(_l("A quick poll asks a single-choice question."), field="kind")
    if question is None and survey.kind == "poll" and survey.questions:
        raise DomainError(_l("A quick poll has exactly one question."), field="kind")
    if answered and (question is None or question.kind != kind or question.section_id != section_id):
        _locked(survey)
    if not (text or "").strip():
        raise DomainError(_l("Write the question in Georgian."), field="text")
    parsed: list[dict] = []
    if kind in WITH_OPTIONS:
        parsed = parse_options(options, question.options if question else None)
        if len(parsed) < 2:
            raise DomainError(_l("Write at least two options, one a line."), field="options")
        if len(parsed) > MAX_OPTIONS:
            raise DomainError(_l("At most %(count)s options.", count=MAX_OPTIONS), field="options")
        if answered and question is not None and len(parsed) != len(question.options or []):
            raise DomainError(_l("Answers have arrived: options can be reworded, not added or "
                                 "removed."), field="options")
    if kind == "unit" and not units():
        raise DomainError(_l("The municipality has no administrative units in its settings."),
                          field="kind")
    if kind == "rating" and not (0 <= scale_min < scale_max <= MAX_SCALE):
        raise DomainError(_l("The scale runs from a lower to a higher number, 0 to 10."),
                          field="scale_max")
    if answered and question is not None and kind == "rating" and (
            (scale_min, scale_max) != (question.scale_min, question.scale_max)):
        raise DomainError(_l("Answers have arrived: the scale can no longer change."), field="scale_max")
    condition_id, values = _condition(survey, section, question, condition or [])
    if question is None:
        question = Question(kind=kind,
                            position=1 + max((q.position for q in survey.questions), default=-1))
        survey.questions.append(question)
    question.section_id, question.kind = section_id, kind
    question.text, question.text_en = text.strip()[:500], (text_en or "").strip()[:500]
    question.help, question.help_en = (help or "").strip()[:500], (help_en or "").strip()[:500]
    question.is_required = bool(is_required)
    question.options = parsed
    question.scale_min, question.scale_max = (scale_min, scale_max) if kind == "rating" else (1, 5)
    question.low_label, question.low_label_en = low_label.strip()[:100], low_label_en.strip()[:100]
    question.high_label, question.high_label_en = high_label.strip()[:100], high_label_en.strip()[:100]
    question.condition_question_id, question.condition_values = condition_id, values
    db.session.flush()
    audit.record("surveys.question_saved", target=f"survey:{survey.id}/question:{question.id}",
                 after={"text": question.text, "kind": kind})
    return question


def _condition(survey, section, question, picked: list[str]) -> tuple[int | None, list[str]]:
    if not picked:
        return None, []
    allowed = {key: (q, o) for key, q, o in condition_choices(survey, section, question)}
    if any(key not in allowed for key in picked):
        raise DomainError(_l("A condition names answers of an earlier section's choice question."),
                          field="condition")
    questions = {allowed[key][0].id for key in picked}
    if len(questions) != 1:
        raise DomainError(_l("A condition names answers of one question only."), field="condition")
    return questions.pop(), [allowed[key][1]["value"] for key in picked]


def _drop_conditions_on(survey: Survey, gone: Question) -> None:
    for q in survey.questions:
        if q.condition_question_id == gone.id:
            q.condition_question_id, q.condition_values = None, []


def delete_question(survey: Survey, question: Question) -> None:
    _locked(survey)
    _drop_conditions_on(survey, question)
    survey.questions.remove(question)
    db.session.flush()
    audit.record("surveys.question_deleted", target=f"survey:{survey.id}/question:{question.id}",
                 before={"text": question.text})


def delete_survey(survey: Survey) -> None:
    """Only a draft without answers."""
    if survey.status != "draft" or response_count(survey):
        raise DomainError(_l("Only a draft without answers can be deleted."))
    target = f"survey:{survey.id}"
    title = survey.title
    db.session.delete(survey)
    db.session.flush()
    audit.record("surveys.deleted", target=target, before={"title": title})


def section_of(survey: Survey, section_id: int) -> SurveySection | None:
    return next((s for s in survey.sections if s.id == section_id), None)


def question_of(survey: Survey, question_id: int) -> Question | None:
    return next((q for q in survey.questions if q.id == question_id), None)


def ordered_questions(survey: Survey) -> list[Question]:
    """The questions in answering order: by section, then by position."""
    place = {s.id: s.position for s in survey.sections}
    return sorted(survey.questions, key=lambda q: (place.get(q.section_id, 0), q.position, q.id))
