"""Answering a survey, a section (page) at a time, decided on the server.

Each page posts its own answers and carries the earlier pages' answers as hidden fields, so
nothing is stored before the last page and the flow needs no JavaScript. A question with a
condition is shown only when the earlier answer it names is one of its values; a hidden
question's answer is never kept. Names of the inputs: ``q<id>`` (one value, or several for
a multiple choice), ``q<id>.<option>`` (a ranking's rank of that option).

One answer per respondent: ``respondent_hash`` is a keyed hash of the browser's nonce, the
confirmed e-mail address or the phone, per survey; the database's unique constraint is the
last line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.surveys.building import answer_options, ordered_questions
from portal.blueprints.surveys.models import (
    Question,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    SurveySection,
)
from portal.db import utcnow
from portal.extensions import db
from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError

MAX_SHORT = 300
MAX_LONG = 4000
#: Numbers people may type: plenty for ages, household sizes, amounts in lari.
NUMBER_RANGE = (-1_000_000_000, 1_000_000_000)


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def state(survey: Survey, now: datetime | None = None) -> str:
    """"draft", "upcoming", "open" or "closed"."""
    now = now or utcnow()
    if survey.status == "draft":
        return "draft"
    if survey.status == "closed" or (survey.closes_at and _aware(survey.closes_at) <= now):
        return "closed"
    if survey.opens_at and _aware(survey.opens_at) > now:
        return "upcoming"
    return "open"


def respondent_hash(survey: Survey, key: str) -> str:
    return lookup_hash(key, f"surveys.respondent:{survey.id}")


def has_answered(survey: Survey, key: str) -> bool:
    return db.session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey.id,
        SurveyResponse.respondent_hash == respondent_hash(survey, key))) is not None


@dataclass(frozen=True)
class Page:
    index: int
    section: SurveySection
    questions: list[Question]


def pages(survey: Survey) -> list[tuple[SurveySection, list[Question]]]:
    """Every section with its questions, in order (sections without questions left out)."""
    questions = ordered_questions(survey)
    return [(s, [q for q in questions if q.section_id == s.id]) for s in survey.sections
            if any(q.section_id == s.id for q in questions)]


def is_shown(question: Question, values: dict) -> bool:
    """Whether ``question`` applies, given the answers so far."""
    if question.condition_question_id is None:
        return True
    given = values.get(question.condition_question_id)
    given = given if isinstance(given, list) else [given] if given else []
    return any(v in question.condition_values for v in given)


def page_at(survey: Survey, index: int, values: dict) -> Page | None:
    """The first page at or after ``index`` with a question that applies; None past the end."""
    all_pages = pages(survey)
    for n in range(max(0, index), len(all_pages)):
        section, questions = all_pages[n]
        shown = [q for q in questions if is_shown(q, values)]
        if shown:
            return Page(n, section, shown)
    return None


def previous_page(survey: Survey, index: int, values: dict) -> Page | None:
    all_pages = pages(survey)
    for n in range(min(index, len(all_pages)) - 1, -1, -1):
        section, questions = all_pages[n]
        shown = [q for q in questions if is_shown(q, values)]
        if shown:
            return Page(n, section, shown)
    return None


def page_count(survey: Survey) -> int:
    return len(pages(survey))


def read(survey: Survey, formdata, upto: int | None = None) -> dict:
    """The answers in ``formdata`` to questions of pages before ``upto`` (every page when
    None) that apply, normalised but not checked (the carried answers were checked on their
    own page; ``check`` checks again before saving)."""
    values: dict = {}
    for n, (_section, questions) in enumerate(pages(survey)):
        if upto is not None and n >= upto:
            break
        for q in questions:
            if not is_shown(q, values):
                continue
            value = _raw(q, formdata)
            if value not in (None, "", [], {}):
                values[q.id] = value
    return values


def _raw(q: Question, formdata):
    name = f"q{q.id}"
    if q.kind == "multiple":
        return [v for v in formdata.getlist(name) if v]
    if q.kind == "ranking":
        ranks = {}
        for option in q.options or []:
            typed = (formdata.get(f"{name}.{option['value']}") or "").strip()
            if typed:
                ranks[option["value"]] = typed
        return ranks
    return (formdata.get(name) or "").strip()


def check(q: Question, value) -> tuple[object, object]:
    """(the normalised value, None) or (None, the message) for one question's answer."""
    empty = value in (None, "", [], {})
    if empty:
        return (None, _l("Answer this question.")) if q.is_required else (None, None)
    allowed = [o["value"] for o in answer_options(q)]
    if q.kind in ("single", "unit", "rating"):
        if value not in allowed:
            return None, _l("Choose one of the answers.")
        return value, None
    if q.kind == "multiple":
        if any(v not in allowed for v in value) or len(set(value)) != len(value):
            return None, _l("Choose among the answers.")
        return [v for v in allowed if v in value], None
    if q.kind == "ranking":
        try:
            ranks = {k: int(v) for k, v in value.items()}
        except ValueError:
            return None, _l("Give each item a different place from 1 to %(count)s.", count=len(allowed))
        if (any(k not in allowed for k in ranks) or len(ranks) != len(allowed)
                or sorted(ranks.values()) != list(range(1, len(allowed) + 1))):
            return None, _l("Give each item a different place from 1 to %(count)s.", count=len(allowed))
        return ranks, None
    if q.kind == "number":
        try:
            number = float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            return None, _l("Write a number, such as 12 or 3.5.")
        if not math.isfinite(number) or not NUMBER_RANGE[0] <= number <= NUMBER_RANGE[1]:
            return None, _l("Write a number, such as 12 or 3.5.")
        return (str(int(number)) if number.is_integer() else str(number)), None
    limit = MAX_SHORT if q.kind == "short_text" else MAX_LONG
    if len(value) > limit:
        return None, _l("At most %(count)s characters.", count=limit)
    return value, None


def check_page(page: Page, formdata, values: dict) -> tuple[dict, dict]:
    """The page's answers checked: (values of earlier pages and this one, errors by question
    id). A question whose condition follows from this page's own answers is not on it (a
    condition names an earlier section), so ``values`` decides each one."""
    values = dict(values)
    errors = {}
    for q in page.questions:
        value, error = check(q, _raw(q, formdata))
        if error is not None:
            errors[q.id] = error
        elif value is not None:
            values[q.id] = value
        else:
            values.pop(q.id, None)
    return values, errors


def carried(survey: Survey, values: dict, before: int) -> list[tuple[str, str]]:
    """Hidden inputs (name, value) holding the answers of pages before ``before``."""
    fields = []
    for n, (_section, questions) in enumerate(pages(survey)):
        if n >= before:
            break
        for q in questions:
            value = values.get(q.id)
            if value is None:
                continue
            if isinstance(value, dict):
                fields += [(f"q{q.id}.{k}", str(v)) for k, v in value.items()]
            elif isinstance(value, list):
                fields += [(f"q{q.id}", v) for v in value]
            else:
                fields.append((f"q{q.id}", str(value)))
    return fields


def submit(survey: Survey, values: dict, *, respondent: str, contact: str | None = None,
           locale: str = "ka", now: datetime | None = None) -> SurveyResponse:
    """Store one response: every question that applies is checked again (values carried in
    hidden fields are the browser's word), then one row per value. Raises DomainError when
    the survey is not open, a required answer is missing or the respondent answered before."""
    if state(survey, now) != "open":
        raise DomainError(_l("This survey is not open for answers."))
    checked: dict = {}
    for q in ordered_questions(survey):
        if not is_shown(q, checked):
            continue
        value, error = check(q, values.get(q.id))
        if error is not None:
            raise DomainError(error, field=f"q{q.id}")
        if value is not None:
            checked[q.id] = value
    if has_answered(survey, respondent):
        raise DomainError(_l("You have already answered this survey. Thank you!"))
    response = SurveyResponse(survey_id=survey.id, respondent_hash=respondent_hash(survey, respondent),
                              contact=contact if survey.keeps_contact else None, locale=locale,
                              submitted_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("You have already answered this survey. Thank you!")) from None
    kinds = {q.id: q.kind for q in survey.questions}
    for question_id, value in checked.items():
        for row in rows(kinds[question_id], value):
            db.session.add(SurveyAnswer(response_id=response.id, question_id=question_id, **row))
    db.session.flush()
    return response


def rows(kind: str, value) -> list[dict]:
    """The answer rows of one question's value."""
    if kind == "multiple":
        return [{"value": v} for v in value]
    if kind == "ranking":
        return [{"value": k, "rank": r} for k, r in value.items()]
    if kind in ("rating", "number"):
        return [{"value": value, "number": float(value)}]
    return [{"value": value}]
