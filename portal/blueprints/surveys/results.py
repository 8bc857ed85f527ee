"""A survey's results: counts per answer, shares, averages, rankings and the ratings per
administrative unit, optionally only among the respondents who gave one answer (the filter).

A fixed number of grouped queries whatever the number of responses: the respondents, the
counts per (question, value, rank), the respondents per question, the ratings by unit, and
(for staff) the newest texts. Labels are ka/en pairs, put into the page's language by the
caller (``labels``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.blueprints.surveys.building import answer_options, ordered_questions
from portal.blueprints.surveys.models import (
    CHOICE_KINDS,
    Question,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from portal.extensions import db
from portal.web.charts import share

TEXT_KINDS = ("short_text", "long_text")
#: Kinds one may filter the results by (one answer each).
FILTER_KINDS = CHOICE_KINDS
TEXTS_SHOWN = 30


@dataclass
class OptionResult:
    value: str
    label: dict
    count: int
    percent: float


@dataclass
class RankResult:
    value: str
    label: dict
    mean_rank: float
    #: Respondents who put it in place 1, 2, …
    by_place: list[int]


@dataclass
class UnitRow:
    unit: dict
    counts: list[int]
    answered: int
    mean: float | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    ranks: list[RankResult] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    low: float | None = None
    high: float | None = None
    texts: list[str] = field(default_factory=list)
    by_unit: list[UnitRow] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]
    #: (question, option) the results are limited to, or None.
    filtered_by: tuple[Question, dict] | None = None


def parse_filter(survey: Survey, raw: str | None) -> tuple[Question, dict] | None:
    """``"<question id>:<value>"`` (a filter form's value) → (question, option), or None."""
    question_id, _sep, value = (raw or "").partition(":")
    if not question_id.isdigit():
        return None
    question = next((q for q in survey.questions if q.id == int(question_id)
                     and q.kind in FILTER_KINDS), None)
    if question is None:
        return None
    option = next((o for o in answer_options(question) if o["value"] == value), None)
    return (question, option) if option else None


def filter_choices(survey: Survey) -> list[tuple[str, Question, dict]]:
    return [(f"{q.id}:{o['value']}", q, o) for q in ordered_questions(survey)
            if q.kind in FILTER_KINDS for o in answer_options(q)]


def compute(survey: Survey, filtered_by: tuple[Question, dict] | None = None, *,
            with_texts: bool = False) -> Results:
    responses = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
    if filtered_by is not None:
        question, option = filtered_by
        responses = responses.where(SurveyResponse.id.in_(
            select(SurveyAnswer.response_id).where(SurveyAnswer.question_id == question.id,
                                                   SurveyAnswer.value == option["value"])))
    ids = responses.subquery()
    scope = select(ids.c.id)
    in_scope = SurveyAnswer.response_id.in_(scope)
    respondents = db.session.scalar(select(func.count()).select_from(ids)) or 0
    questions = ordered_questions(survey)
    kinds = {q.id: q.kind for q in questions}
    counted = [q.id for q in questions if q.kind not in TEXT_KINDS]
    counts: dict[int, list[tuple[str, int | None, int]]] = {}
    if counted:
        for question_id, value, rank, count in db.session.execute(
                select(SurveyAnswer.question_id, SurveyAnswer.value, SurveyAnswer.rank, func.count())
                .where(in_scope, SurveyAnswer.question_id.in_(counted))
                .group_by(SurveyAnswer.question_id, SurveyAnswer.value, SurveyAnswer.rank)):
            counts.setdefault(question_id, []).append((value, rank, count))
    answered = dict(db.session.execute(
        select(SurveyAnswer.question_id, func.count(func.distinct(SurveyAnswer.response_id)))
        .where(in_scope, SurveyAnswer.question_id.in_(list(kinds)))
        .group_by(SurveyAnswer.question_id)).all()) if kinds else {}
    texts: dict[int, list[str]] = {}
    text_ids = [q.id for q in questions if q.kind in TEXT_KINDS]
    if with_texts and text_ids:
        for question_id, value in db.session.execute(
                select(SurveyAnswer.question_id, SurveyAnswer.value)
                .where(in_scope, SurveyAnswer.question_id.in_(text_ids))
                .order_by(SurveyAnswer.id.desc()).limit(TEXTS_SHOWN * len(text_ids))):
            if len(texts.setdefault(question_id, [])) < TEXTS_SHOWN:
                texts[question_id].append(value)
    by_unit = _by_unit(questions, scope)
    found = []
    for q in questions:
        result = QuestionResult(question=q, answered=answered.get(q.id, 0), texts=texts.get(q.id, []))
        rows = counts.get(q.id, [])
        if q.kind in CHOICE_KINDS + ("multiple",):
            tally = {value: count for value, _rank, count in rows}
            result.options = [OptionResult(o["value"], _label(o), tally.get(o["value"], 0),
                                           share(tally.get(o["value"], 0), result.answered))
                              for o in answer_options(q)]
        if q.kind in ("rating", "number"):
            numbers = [(float(value), count) for value, _rank, count in rows]
            total = sum(c for _v, c in numbers)
            if total:
                result.mean = round(sum(v * c for v, c in numbers) / total, 2)
                expanded = sorted(numbers)
                result.low, result.high = expanded[0][0], expanded[-1][0]
                result.median = _median(expanded, total)
        if q.kind == "ranking":
            places = len(q.options or [])
            for o in q.options or []:
                by_place = [0] * places
                for value, rank, count in rows:
                    if value == o["value"] and rank and 1 <= rank <= places:
                        by_place[rank - 1] += count
                given = sum(by_place)
                mean = sum((n + 1) * c for n, c in enumerate(by_place)) / given if given else 0.0
                result.ranks.append(RankResult(o["value"], _label(o), round(mean, 2), by_place))
            result.ranks.sort(key=lambda r: (r.mean_rank or places + 1))
        if q.kind == "rating" and q.id in by_unit:
            result.by_unit = by_unit[q.id]
        found.append(result)
    return Results(survey=survey, respondents=respondents, questions=found, filtered_by=filtered_by)


def _label(option: dict) -> dict:
    return {"ka": option.get("ka", ""), "en": option.get("en", "")}


def _median(sorted_counts: list[tuple[float, int]], total: int) -> float:
    middle = [(total - 1) // 2, total // 2]
    picked, seen = [], 0
    for value, count in sorted_counts:
        for wanted in middle:
            if seen <= wanted < seen + count:
                picked.append(value)
        seen += count
    return round(statistics.mean(picked), 2)


def _by_unit(questions: list[Question], scope) -> dict[int, list[UnitRow]]:
    """Ratings per administrative unit: for each rating question, a row per unit of the
    survey's (first) unit question with the count of each step and the mean."""
    unit_q = next((q for q in questions if q.kind == "unit"), None)
    ratings = [q for q in questions if q.kind == "rating"]
    if unit_q is None or not ratings:
        return {}
    unit, rating = aliased(SurveyAnswer), aliased(SurveyAnswer)
    grid: dict[tuple[int, str, str], int] = {}
    for question_id, unit_value, value, count in db.session.execute(
            select(rating.question_id, unit.value, rating.value, func.count())
            .join(rating, rating.response_id == unit.response_id)
            .where(unit.question_id == unit_q.id, rating.question_id.in_([q.id for q in ratings]),
                   unit.response_id.in_(scope))
            .group_by(rating.question_id, unit.value, rating.value)):
        grid[(question_id, unit_value, value)] = count
    found = {}
    for q in ratings:
        steps = [o["value"] for o in answer_options(q)]
        rows = []
        for o in answer_options(unit_q):
            counts = [grid.get((q.id, o["value"], s), 0) for s in steps]
            given = sum(counts)
            mean = round(sum(int(s) * c for s, c in zip(steps, counts, strict=True)) / given, 2) if given else None
            rows.append(UnitRow(_label(o), counts, given, mean))
        found[q.id] = rows
    return found



@dataclass
class YearRow:
    label: dict
    before: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.now is None else round(self.now - self.before, 2)


def _rating_means(survey: Survey) -> dict[str, float]:
    """The mean of each rating question, keyed by its Georgian words (a template's questions
    are the same words every year)."""
    ratings = {q.id: q.text for q in survey.questions if q.kind == "rating"}
    if not ratings:
        return {}
    rows = db.session.execute(
        select(SurveyAnswer.question_id, func.avg(SurveyAnswer.number))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.question_id.in_(list(ratings)))
        .group_by(SurveyAnswer.question_id))
    return {ratings[question_id]: round(float(mean), 2) for question_id, mean in rows if mean is not None}


def year_on_year(survey: Survey, *, staff: bool) -> tuple[Survey, list[YearRow]] | None:
    """For a survey made from a yearly template: the latest earlier year's survey of the same
    template (its results public, unless ``staff``) and each rating's mean in both years."""
    if not survey.template or not survey.year:
        return None
    earlier = select(Survey).where(Survey.template == survey.template, Survey.year < survey.year,
                                   Survey.status != "draft")
    if not staff:
        earlier = earlier.where(Survey.results_public.is_(True))
    previous = db.session.scalars(earlier.order_by(Survey.year.desc()).limit(1)).first()
    if previous is None:
        return None
    now, before = _rating_means(survey), _rating_means(previous)
    rows = [YearRow(q.t("text"), before.get(q.text), now.get(q.text))
            for q in ordered_questions(survey) if q.kind == "rating" and q.condition_question_id is None]
    return previous, rows
