"""A survey's answers as CSV, one line a response and a column a question (option words in
the staff's language), with who exported it and when on the first line. UTF-8 with a BOM
(spreadsheets read Georgian then); text a spreadsheet would run as a formula is quoted. The
confirmed address or phone is a column only when the survey keeps it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.surveys.building import answer_options, ordered_questions
from portal.blueprints.surveys.models import Survey, SurveyAnswer, SurveyResponse
from portal.extensions import db
from portal.i18n import localized_plain


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def rows(survey: Survey, who: str, now: datetime) -> Iterator[list[str]]:
    questions = ordered_questions(survey)
    words = {q.id: {o["value"]: localized_plain(o) for o in answer_options(q)} for q in questions}
    yield [cell(_("Exported by %(who)s on %(when)s UTC", who=who, when=_when(now)))]
    header = [_("Response"), _("Sent (UTC)"), _("Language")]
    if survey.keeps_contact:
        header.append(_("E-mail or phone"))
    yield header + [cell(localized_plain(q.t("text"))) for q in questions]
    answers: dict[int, dict[int, list]] = {}
    for response_id, question_id, value, rank in db.session.execute(
            select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.value, SurveyAnswer.rank)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey.id).order_by(SurveyAnswer.id)):
        answers.setdefault(response_id, {}).setdefault(question_id, []).append((value, rank))
    responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
                                   .order_by(SurveyResponse.id))
    for n, response in enumerate(responses, 1):
        line = [str(n), _when(response.submitted_at), response.locale]
        if survey.keeps_contact:
            line.append(cell(response.contact or ""))
        given = answers.get(response.id, {})
        for q in questions:
            parts = given.get(q.id, [])
            if q.kind == "ranking":
                text = "; ".join(f"{r}. {words[q.id].get(v, v)}" for v, r in sorted(parts, key=lambda p: p[1] or 0))
            else:
                text = "; ".join(words[q.id].get(v, v) for v, _r in parts)
            line.append(cell(text))
        yield line


def to_csv(survey: Survey, who: str, now: datetime) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in rows(survey, who, now):
        writer.writerow(line)
    return "\ufeff" + out.getvalue()
