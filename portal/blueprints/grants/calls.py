"""The grants office writes a call: its texts, who may apply, the budget and the limits, the
dates and the criteria with their weights (they add up to 100). Audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.grants.models import (
    GrantApplication,
    GrantCompetition,
    GrantCriterion,
    GrantReview,
)
from portal.blueprints.grants.topics import announce_call
from portal.db import aware
from portal.extensions import db
from portal.i18n import to_utc
from portal.services import audit
from portal.services.errors import DomainError


@dataclass(frozen=True)
class Criterion:
    weight: int
    name_ka: str
    name_en: str = ""
    max_score: int = 10


def parse_criteria(text: str) -> list[Criterion]:
    """One criterion a line: ``weight | name in Georgian | name in English``."""
    found = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) < 2 or not parts[0].isdigit() or not parts[1]:
            raise DomainError(_l("Write each criterion as “weight | name in Georgian | name in "
                                 "English”."), field="criteria")
        found.append(Criterion(int(parts[0]), parts[1][:300], (parts[2] if len(parts) > 2 else "")[:300]))
    if not found:
        raise DomainError(_l("Give at least one criterion."), field="criteria")
    if sum(c.weight for c in found) != 100:
        raise DomainError(_l("The criteria's weights must add up to 100."), field="criteria")
    return found


def _check(*, allows_ngos: bool, allows_groups: bool, total_budget: int, min_amount: int,
           max_amount: int, call_opens_on: date, deadline_local: datetime, evaluation_until: date,
           results_on: date) -> None:
    if not (allows_ngos or allows_groups):
        raise DomainError(_l("Let NGOs, informal groups or both apply."), field="allows_ngos")
    if not 0 < min_amount <= max_amount <= total_budget:
        raise DomainError(_l("The limits must satisfy: 0 < minimum ≤ maximum ≤ total budget."),
                          field="max_amount")
    if not call_opens_on <= deadline_local.date() <= evaluation_until <= results_on:
        raise DomainError(_l("The dates must follow each other: call, deadline, evaluation, "
                             "results."), field="deadline")


def _criterion_rows(criteria: list[Criterion]) -> list[GrantCriterion]:
    return [GrantCriterion(position=i, name_ka=c.name_ka, name_en=c.name_en, weight=c.weight,
                           max_score=c.max_score) for i, c in enumerate(criteria)]


def _criteria_of(competition: GrantCompetition) -> list[GrantCriterion]:
    return list(db.session.scalars(select(GrantCriterion).where(
        GrantCriterion.competition_id == competition.id).order_by(GrantCriterion.position)))


def values(competition: GrantCompetition) -> dict:
    """What the audit trail keeps of a call."""
    return {"title": competition.title_ka, "title_en": competition.title_en,
            "currency": competition.currency, "budget": competition.total_budget,
            "min": competition.min_amount, "max": competition.max_amount,
            "opens": competition.call_opens_on.isoformat(),
            "deadline": aware(competition.deadline_at).isoformat(),
            "evaluation_until": competition.evaluation_until.isoformat(),
            "results_on": competition.results_on.isoformat(),
            "published": competition.is_published,
            "criteria": [f"{c.weight} | {c.name_ka} | {c.name_en}" for c in _criteria_of(competition)]}


def create(*, title_ka: str, title_en: str, aims_ka: str, aims_en: str, allows_ngos: bool,
           allows_groups: bool, currency: str, total_budget: int, min_amount: int,
           max_amount: int, call_opens_on: date, deadline_local: datetime, evaluation_until: date,
           results_on: date, criteria: list[Criterion], is_published: bool = True) -> GrantCompetition:
    """A new call (its deadline on the municipality's wall clock); flushes and audits, and
    tells the subscribers of new calls when it is published. Refuses inconsistent limits and
    dates."""
    _check(allows_ngos=allows_ngos, allows_groups=allows_groups, total_budget=total_budget,
           min_amount=min_amount, max_amount=max_amount, call_opens_on=call_opens_on,
           deadline_local=deadline_local, evaluation_until=evaluation_until, results_on=results_on)
    competition = GrantCompetition(
        title_ka=title_ka, title_en=title_en, aims_ka=aims_ka, aims_en=aims_en,
        allows_ngos=allows_ngos, allows_groups=allows_groups, currency=currency.upper(),
        total_budget=total_budget, min_amount=min_amount, max_amount=max_amount,
        call_opens_on=call_opens_on, deadline_at=to_utc(deadline_local), evaluation_until=evaluation_until,
        results_on=results_on, is_published=is_published)
    competition.criteria.extend(_criterion_rows(criteria))
    db.session.add(competition)
    db.session.flush()
    audit.record("grants.competition.created", target=f"grant_competition:{competition.id}",
                 after={"title": title_ka, "budget": total_budget, "currency": competition.currency})
    if is_published:
        announce_call(competition)
    return competition


def _scored(competition: GrantCompetition) -> bool:
    return db.session.scalar(select(GrantReview.id).join(GrantApplication).where(
        GrantApplication.competition_id == competition.id, GrantReview.kind == "scored").limit(1)) is not None


def _submitted(competition: GrantCompetition) -> bool:
    return db.session.scalar(select(GrantApplication.id).where(
        GrantApplication.competition_id == competition.id,
        GrantApplication.status != "draft").limit(1)) is not None


def update(competition: GrantCompetition, *, title_ka: str, title_en: str, aims_ka: str,
           aims_en: str, allows_ngos: bool, allows_groups: bool, currency: str, total_budget: int,
           min_amount: int, max_amount: int, call_opens_on: date, deadline_local: datetime,
           evaluation_until: date, results_on: date, criteria: list[Criterion]) -> None:
    """Change a call before its results are announced; flushes and audits (before and after).
    The criteria and the currency stay as they are once an application is scored or
    submitted: the scores and the amounts asked for were given against them."""
    if competition.announced_at is not None:
        raise DomainError(_l("The results are announced: the call can no longer change."))
    _check(allows_ngos=allows_ngos, allows_groups=allows_groups, total_budget=total_budget,
           min_amount=min_amount, max_amount=max_amount, call_opens_on=call_opens_on,
           deadline_local=deadline_local, evaluation_until=evaluation_until, results_on=results_on)
    rows = _criteria_of(competition)
    current = [Criterion(c.weight, c.name_ka, c.name_en, c.max_score) for c in rows]
    if criteria != current and _scored(competition):
        raise DomainError(_l("The committee has scored applications against these criteria: "
                             "they can no longer change."), field="criteria")
    if currency.upper() != competition.currency and _submitted(competition):
        raise DomainError(_l("Applications ask for amounts in this currency: it can no longer "
                             "change."), field="currency")
    before = values(competition)
    competition.title_ka, competition.title_en = title_ka, title_en
    competition.aims_ka, competition.aims_en = aims_ka, aims_en
    competition.allows_ngos, competition.allows_groups = allows_ngos, allows_groups
    competition.currency = currency.upper()
    competition.total_budget, competition.min_amount = total_budget, min_amount
    competition.max_amount = max_amount
    competition.call_opens_on, competition.deadline_at = call_opens_on, to_utc(deadline_local)
    competition.evaluation_until, competition.results_on = evaluation_until, results_on
    if criteria != current:
        for row in rows:
            db.session.delete(row)
        db.session.flush()  # the old rows go before the new positions arrive
        for row in _criterion_rows(criteria):
            row.competition_id = competition.id
            db.session.add(row)
    db.session.flush()
    audit.record("grants.competition.changed", target=f"grant_competition:{competition.id}",
                 before=before, after=values(competition))


def publish(competition: GrantCompetition) -> None:
    """Show the call on the public pages; its subscribers hear of it once."""
    if competition.is_published:
        return
    competition.is_published = True
    db.session.flush()
    audit.record("grants.competition.published", target=f"grant_competition:{competition.id}")
    announce_call(competition)


def unpublish(competition: GrantCompetition) -> None:
    """Take a call off the public pages: only while nobody has applied, since applicants
    follow their applications through it."""
    if not competition.is_published:
        return
    if _submitted(competition) or competition.announced_at is not None:
        raise DomainError(_l("Applications have been submitted to this call: it stays public."))
    competition.is_published = False
    db.session.flush()
    audit.record("grants.competition.unpublished", target=f"grant_competition:{competition.id}")
