"""The grants office writes a call: its texts, who may apply, the budget and the limits, the
dates and the criteria with their weights (they add up to 100). Audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from portal.blueprints.grants.models import GrantCompetition, GrantCriterion
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


def create(*, title_ka: str, title_en: str, aims_ka: str, aims_en: str, allows_ngos: bool,
           allows_groups: bool, currency: str, total_budget: int, min_amount: int,
           max_amount: int, call_opens_on: date, deadline_local: datetime, evaluation_until: date,
           results_on: date, criteria: list[Criterion], is_published: bool = True) -> GrantCompetition:
    """A new call (its deadline on the municipality's wall clock); flushes and audits.
    Refuses inconsistent limits and dates."""
    if not (allows_ngos or allows_groups):
        raise DomainError(_l("Let NGOs, informal groups or both apply."), field="allows_ngos")
    if not 0 < min_amount <= max_amount <= total_budget:
        raise DomainError(_l("The limits must satisfy: 0 < minimum ≤ maximum ≤ total budget."),
                          field="max_amount")
    if not call_opens_on <= deadline_local.date() <= evaluation_until <= results_on:
        raise DomainError(_l("The dates must follow each other: call, deadline, evaluation, "
                             "results."), field="deadline")
    competition = GrantCompetition(
        title_ka=title_ka, title_en=title_en, aims_ka=aims_ka, aims_en=aims_en,
        allows_ngos=allows_ngos, allows_groups=allows_groups, currency=currency.upper(),
        total_budget=total_budget, min_amount=min_amount, max_amount=max_amount,
        call_opens_on=call_opens_on, deadline_at=to_utc(deadline_local), evaluation_until=evaluation_until,
        results_on=results_on, is_published=is_published)
    for i, c in enumerate(criteria):
        competition.criteria.append(GrantCriterion(position=i, name_ka=c.name_ka,
                                                   name_en=c.name_en, weight=c.weight,
                                                   max_score=c.max_score))
    db.session.add(competition)
    db.session.flush()
    audit.record("grants.competition.created", target=f"grant_competition:{competition.id}",
                 after={"title": title_ka, "budget": total_budget, "currency": competition.currency})
    return competition
