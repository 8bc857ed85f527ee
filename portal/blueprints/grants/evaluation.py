"""The committee's scoring: each member scores every criterion of a submitted application
(with a comment), or declares a conflict of interest and then cannot score it; a member sees
the others' scores only once their own are in. The ranking weighs each criterion's mean score
by its weight. Every step is audited."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.grants.models import (
    GrantApplication,
    GrantCompetition,
    GrantCriterion,
    GrantReview,
    GrantScore,
)
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

#: Applications the committee looks at.
EVALUATED = ("submitted", "funded", "not_funded")


def review_of(application: GrantApplication, member_id: int) -> GrantReview | None:
    return db.session.scalar(select(GrantReview).where(
        GrantReview.application_id == application.id, GrantReview.member_id == member_id))


def _check_scorable(application: GrantApplication, competition: GrantCompetition,
                    member_id: int) -> None:
    if application.status not in EVALUATED:
        raise DomainError(_l("Only submitted applications are scored."))
    if competition.announced_at is not None:
        raise DomainError(_l("The results are announced; scoring is closed."))
    existing = review_of(application, member_id)
    if existing is not None and existing.kind == "conflict":
        raise DomainError(_l("You declared a conflict of interest with this application and "
                             "cannot score it."))
    if existing is not None:
        raise DomainError(_l("You have already scored this application."))


def score(application: GrantApplication, competition: GrantCompetition, member, *,
          scores: dict[int, tuple[int | None, str]]) -> GrantReview:
    """Record ``member``'s scores: ``scores[criterion_id] = (score, comment)`` for every
    criterion, each from 0 to its maximum. Flushes and audits."""
    _check_scorable(application, competition, member.id)
    criteria = competition_criteria(competition)
    review = GrantReview(application_id=application.id, member_id=member.id, kind="scored")
    for criterion in criteria:
        value, comment = scores.get(criterion.id, (None, ""))
        if value is None or not 0 <= value <= criterion.max_score:
            raise DomainError(_l("Give every criterion a score from 0 to %(max)s.",
                                 max=criterion.max_score), field=f"score_{criterion.id}")
        review.scores.append(GrantScore(criterion_id=criterion.id, score=value,
                                        comment=comment.strip()[:5000]))
    db.session.add(review)
    db.session.flush()
    audit.record("grants.application.scored", target=f"grant_application:{application.id}",
                 after={"scores": [s.score for s in review.scores]})
    return review


def declare_conflict(application: GrantApplication, competition: GrantCompetition, member, *,
                     note: str) -> GrantReview:
    """``member`` declares a conflict of interest: they will not score it. Flushes, audits."""
    _check_scorable(application, competition, member.id)
    review = GrantReview(application_id=application.id, member_id=member.id, kind="conflict",
                         note=note.strip()[:2000])
    db.session.add(review)
    db.session.flush()
    audit.record("grants.application.conflict", target=f"grant_application:{application.id}",
                 after={"note": review.note})
    return review


def may_see_scores(application: GrantApplication, member_id: int) -> bool:
    """The others' scores are shown to a member who has scored this application."""
    own = review_of(application, member_id)
    return own is not None and own.kind == "scored"


def competition_criteria(competition: GrantCompetition) -> list[GrantCriterion]:
    return list(db.session.scalars(select(GrantCriterion).where(
        GrantCriterion.competition_id == competition.id).order_by(GrantCriterion.position)))


def reviews(application: GrantApplication) -> list[GrantReview]:
    return list(db.session.scalars(
        select(GrantReview).where(GrantReview.application_id == application.id)
        .options(selectinload(GrantReview.scores)).order_by(GrantReview.id)))


@dataclass(frozen=True)
class Ranked:
    application: GrantApplication
    #: The weighted score, 0 to 100; None before anyone scored.
    points: float | None
    scored: int
    conflicts: int


def weighted(criteria: list[GrantCriterion], scores: list[GrantScore]) -> float | None:
    """Σ weight × (mean score ÷ maximum) ÷ Σ weight, as a percentage."""
    by_criterion: dict[int, list[int]] = {}
    for s in scores:
        by_criterion.setdefault(s.criterion_id, []).append(s.score)
    weights = sum(c.weight for c in criteria)
    if not scores or not weights:
        return None
    points = sum(c.weight * (sum(by_criterion.get(c.id, [0])) / len(by_criterion.get(c.id, [0])))
                 / c.max_score for c in criteria)
    return round(100 * points / weights, 2)


def ranking(competition: GrantCompetition) -> list[Ranked]:
    """The call's evaluated applications, best weighted score first (unscored last)."""
    criteria = competition_criteria(competition)
    applications = list(db.session.scalars(select(GrantApplication).where(
        GrantApplication.competition_id == competition.id,
        GrantApplication.status.in_(EVALUATED))))
    ids = [a.id for a in applications]
    found: dict[int, list[GrantReview]] = {i: [] for i in ids}
    if ids:
        for review in db.session.scalars(select(GrantReview).where(
                GrantReview.application_id.in_(ids)).options(selectinload(GrantReview.scores))):
            found[review.application_id].append(review)
    ranked = []
    for application in applications:
        mine = found[application.id]
        scores = [s for r in mine if r.kind == "scored" for s in r.scores]
        ranked.append(Ranked(application, weighted(criteria, scores),
                             sum(r.kind == "scored" for r in mine),
                             sum(r.kind == "conflict" for r in mine)))
    return sorted(ranked, key=lambda r: (r.points is None, -(r.points or 0), r.application.id))
