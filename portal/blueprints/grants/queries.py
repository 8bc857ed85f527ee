"""What the public pages read: the published calls, the funded projects of announced calls
and their totals (computed, never typed: "the municipality funded 23 projects for 80,000
EUR")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.blueprints.grants.models import GrantApplication, GrantCompetition
from portal.extensions import db


def published() -> list[GrantCompetition]:
    """This municipality's published calls, the latest deadline first."""
    return list(db.session.scalars(select(GrantCompetition).where(
        GrantCompetition.is_published.is_(True)).order_by(GrantCompetition.deadline_at.desc())))


def every() -> list[GrantCompetition]:
    return list(db.session.scalars(select(GrantCompetition)
                                   .order_by(GrantCompetition.deadline_at.desc())))


def _funded():
    return (select(GrantApplication).join(GrantApplication.competition)
            .where(GrantApplication.status == "funded",
                   GrantCompetition.announced_at.is_not(None),
                   GrantCompetition.is_published.is_(True)))


def funded(competition_id: int | None = None) -> list[GrantApplication]:
    statement = _funded().options(joinedload(GrantApplication.competition))
    if competition_id is not None:
        statement = statement.where(GrantApplication.competition_id == competition_id)
    return list(db.session.scalars(statement.order_by(GrantApplication.competition_id.desc(),
                                                      GrantApplication.title)))


def funded_one(application_id: int) -> GrantApplication | None:
    return db.session.scalar(_funded().options(joinedload(GrantApplication.competition))
                             .where(GrantApplication.id == application_id))


@dataclass(frozen=True)
class Total:
    currency: str
    projects: int
    amount: int


def totals(competition_id: int | None = None) -> list[Total]:
    """Funded projects and their sum, per currency."""
    statement = (select(GrantCompetition.currency, func.count(GrantApplication.id),
                        func.coalesce(func.sum(GrantApplication.awarded_amount), 0))
                 .select_from(GrantApplication).join(GrantApplication.competition)
                 .where(GrantApplication.status == "funded",
                        GrantCompetition.announced_at.is_not(None),
                        GrantCompetition.is_published.is_(True))
                 .group_by(GrantCompetition.currency).order_by(GrantCompetition.currency))
    if competition_id is not None:
        statement = statement.where(GrantApplication.competition_id == competition_id)
    return [Total(currency, int(count), int(amount))
            for currency, count, amount in db.session.execute(statement)]
