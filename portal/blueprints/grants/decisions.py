"""The grants office's decisions: funded (with an amount within the call's limits and the
budget left) or not funded; announcing the results tells every applicant and makes the funded
projects public; the results' export (CSV). Every step is audited."""

from __future__ import annotations

import csv
import io

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.grants.applications import number
from portal.blueprints.grants.evaluation import ranking
from portal.blueprints.grants.models import GrantApplication, GrantCompetition
from portal.blueprints.grants.money import money, plain
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.services.outbox import queue_email
from portal.tenancy.links import message_url

DECISIONS = ("funded", "not_funded")


def funded_sum(competition: GrantCompetition, *, besides: int | None = None) -> int:
    statement = select(func.coalesce(func.sum(GrantApplication.awarded_amount), 0)).where(
        GrantApplication.competition_id == competition.id, GrantApplication.status == "funded")
    if besides is not None:
        statement = statement.where(GrantApplication.id != besides)
    return int(db.session.scalar(statement) or 0)


def decide(application: GrantApplication, competition: GrantCompetition, *, decision: str,
           amount: int | None, note: str = "") -> None:
    """Fund ``application`` with ``amount`` (minor units) or not; flushes and audits.

    Refuses before submission, after the results are announced, an amount outside the call's
    limits, and one the budget left cannot cover."""
    if application.status not in ("submitted", "funded", "not_funded"):
        raise DomainError(_l("Only submitted applications are decided."))
    if competition.announced_at is not None:
        raise DomainError(_l("The results are announced; decisions cannot change."))
    if decision not in DECISIONS:
        raise DomainError(_l("Choose a decision."), field="decision")
    before = {"status": application.status, "amount": application.awarded_amount}
    if decision == "funded":
        if amount is None:
            raise DomainError(_l("Give the amount awarded."), field="amount")
        if not competition.min_amount <= amount <= competition.max_amount:
            raise DomainError(_l("The amount must be between %(min)s and %(max)s.",
                                 min=money(competition.min_amount, competition.currency),
                                 max=money(competition.max_amount, competition.currency)),
                              field="amount")
        left = competition.total_budget - funded_sum(competition, besides=application.id)
        if amount > left:
            raise DomainError(_l("Only %(left)s of the call's budget is left.",
                                 left=money(left, competition.currency)), field="amount")
    application.status = decision
    application.awarded_amount = amount if decision == "funded" else None
    application.decision_note = note.strip()[:5000]
    application.decided_at = utcnow()
    db.session.flush()
    audit.record("grants.application.decided", target=f"grant_application:{application.id}",
                 before=before, after={"status": decision, "amount": application.awarded_amount})


def announce(competition: GrantCompetition) -> int:
    """Announce the results: every decided applicant gets a message in their language and
    the funded projects become public. Refuses while an application waits for a decision.
    Returns how many applicants were told."""
    if competition.announced_at is not None:
        raise DomainError(_l("The results are already announced."))
    waiting = db.session.scalar(select(func.count()).select_from(GrantApplication).where(
        GrantApplication.competition_id == competition.id, GrantApplication.status == "submitted"))
    if waiting:
        raise DomainError(_l("%(count)s applications still wait for a decision.", count=waiting))
    competition.announced_at = utcnow()
    decided = list(db.session.scalars(select(GrantApplication).where(
        GrantApplication.competition_id == competition.id,
        GrantApplication.status.in_(DECISIONS)).order_by(GrantApplication.id)))
    for application in decided:
        if not application.email:
            continue
        queue_email(to=application.email, template="grant_decision", locale=application.locale,
                    idempotency_key=f"grants.decision:{application.id}", new_key=True,
                    context={"application": application, "competition": competition,
                             "number": number(application),
                             "url": message_url("grants.mine", application_id=application.id)})
    db.session.flush()
    audit.record("grants.competition.announced", target=f"grant_competition:{competition.id}",
                 after={"told": len(decided)})
    return len(decided)


HEADER = ("number", "organisation", "title", "requested", "points", "status", "awarded",
          "currency")


def export_csv(competition: GrantCompetition) -> str:
    """The ranking as CSV (no contacts); audited as an export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in ranking(competition):
        a = row.application
        writer.writerow([number(a), a.organisation, a.title, plain(a.requested_amount),
                         "" if row.points is None else f"{row.points:.2f}", a.status,
                         plain(a.awarded_amount), competition.currency])
    audit.record("grants.results.exported", target=f"grant_competition:{competition.id}")
    return out.getvalue()
