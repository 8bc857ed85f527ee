"""Quick polls where other pages show them: the public module of surveys.

The home page's part (the registry's ``home``: ``home_part``) and a news article (the
shortcode ``[poll:<id>]`` in its text: ``take_shortcode``) embed a poll through this module
only; ``Embed.template`` is the partial to include (``surveys/_poll.html``), ``Embed`` the
plain values it needs. The form posts to ``surveys.vote``: htmx swaps the poll for its
results in place, without JavaScript the post redirects to the poll's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from portal.blueprints.surveys.building import answer_options
from portal.blueprints.surveys.models import Survey
from portal.db import utcnow
from portal.extensions import db
from portal.services.sanitize import clean_html
from portal.tenancy import get_current_tenant

TEMPLATE = "surveys/_poll.html"
SHORTCODE = re.compile(r"(?:<p>\s*)?\[poll:(\d{1,9})\](?:\s*</p>)?")


@dataclass
class Embed:
    """A poll as a page shows it: the question, its options, and (after an answer, or once
    it closed) the results."""

    survey: Survey
    question_id: int
    question: dict
    options: list[dict]
    is_open: bool
    #: OptionResult rows once shown (``surveys.results``), else empty.
    results: list = field(default_factory=list)
    answered: int = 0
    voted: bool = False
    error: object = None
    template: str = TEMPLATE


def embed(survey: Survey, *, voted: bool = False, error=None, with_results: bool = False) -> Embed | None:
    """The poll ``survey`` as an embed (None when it has no question)."""
    from portal.blueprints.surveys import answering, results

    if not survey.questions:
        return None
    question = survey.questions[0]
    is_open = answering.state(survey) == "open"
    found = Embed(survey=survey, question_id=question.id, question=question.t("text"),
                  options=answer_options(question), is_open=is_open, voted=voted, error=error)
    if with_results or voted or not is_open:
        if survey.results_public or with_results:
            computed = results.compute(survey).questions[0]
            found.results, found.answered = computed.options, computed.answered
    return found


def _feature_on() -> bool:
    tenant = get_current_tenant()
    return tenant is not None and tenant.has_feature("surveys")


def home_part() -> dict:
    """The newest open poll staff put on the home page, and the open surveys (at most 3)."""
    from portal.blueprints.surveys import answering

    now = utcnow()
    found = [s for s in db.session.scalars(
        select(Survey).where(Survey.status == "published").order_by(Survey.id.desc()).limit(20))
        if answering.state(s, now) == "open"]
    poll = next((s for s in found if s.kind == "poll" and s.on_home), None)
    return {"poll": embed(poll) if poll else None,
            "surveys": [s for s in found if s.kind == "survey"][:3]}


def take_shortcode(body: Markup | str) -> tuple[Markup, Embed | None]:
    """A news article's body without its first ``[poll:<id>]`` (and any others), and that
    poll of this municipality as an embed (None when there is none, it is a draft, or
    surveys are off here)."""
    text = str(body or "")
    match = SHORTCODE.search(text)
    if match is None:
        return clean_html(text), None
    cleaned = clean_html(SHORTCODE.sub("", text))  # cleaned again: the words are HTML
    if not _feature_on():
        return cleaned, None
    poll = db.session.scalar(select(Survey).where(Survey.id == int(match.group(1)),
                                                  Survey.kind == "poll", Survey.status != "draft"))
    return cleaned, embed(poll) if poll else None


def survey_pages():
    """sitemap.xml: the list, every survey past draft, and the published results."""
    yield "surveys.index", {}
    for survey_id, public in db.session.execute(
            select(Survey.id, Survey.results_public).where(Survey.status != "draft").order_by(Survey.id.desc())):
        yield "surveys.show", {"survey_id": survey_id}
        if public:
            yield "surveys.results_page", {"survey_id": survey_id}
