"""A citizen's application: a draft saved and taken up again, its budget lines summed here
(never trusted from the browser) and checked against the call's limits, submitted before the
deadline, and a receipt by e-mail.

The deadline is a moment on the municipality's wall clock (kept in UTC); whether an
application is late is decided here, on the server's clock, whatever the browser says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal.blueprints.grants.models import GrantApplication, GrantBudgetLine, GrantCompetition
from portal.blueprints.grants.money import money
from portal.db import aware, utcnow
from portal.extensions import db
from portal.i18n import date_time, to_local
from portal.services.errors import DomainError
from portal.services.outbox import queue_email
from portal.tenancy.links import message_url

#: Rows of the budget table.
MAX_LINES = 12


@dataclass(frozen=True)
class Line:
    item: str
    #: Minor units; None when what was typed is not an amount.
    amount: int | None
    typed: str = ""



def is_open(competition: GrantCompetition, now: datetime | None = None) -> bool:
    """Applications are taken: the call has opened (the municipality's date) and the
    deadline has not passed."""
    now = now or utcnow()
    return (competition.is_published and to_local(now).date() >= competition.call_opens_on
            and now <= aware(competition.deadline_at))


def check_open(competition: GrantCompetition, now: datetime | None = None) -> None:
    """Raise DomainError (in the reader's language) when applications are not taken now."""
    now = now or utcnow()
    if now > aware(competition.deadline_at):
        raise DomainError(_l("The deadline for applications was %(deadline)s. Applications "
                             "are no longer accepted.", deadline=date_time(competition.deadline_at)))
    if not is_open(competition, now):
        raise DomainError(_l("This call is not open for applications."))


def total(lines: list[Line]) -> int:
    return sum(line.amount or 0 for line in lines)


def limit_problem(competition: GrantCompetition, amount: int):
    """The message when ``amount`` is outside the call's limits, else None."""
    if amount < competition.min_amount or amount > competition.max_amount:
        return _l("The budget's total, %(total)s, must be between %(min)s and %(max)s.",
                  total=money(amount, competition.currency),
                  min=money(competition.min_amount, competition.currency),
                  max=money(competition.max_amount, competition.currency))
    return None


def start(competition: GrantCompetition, author, *, locale: str) -> GrantApplication:
    """The author's draft for ``competition`` (their existing one, else a new one); flushes."""
    check_open(competition)
    found = db.session.scalar(select(GrantApplication).where(
        GrantApplication.competition_id == competition.id,
        GrantApplication.author_id == author.id).order_by(GrantApplication.id))
    if found is not None:
        return found
    application = GrantApplication(competition_id=competition.id, author_id=author.id,
                                   email=author.email, contact_name=author.name or "",
                                   locale=locale)
    db.session.add(application)
    db.session.flush()
    return application


def save(application: GrantApplication, competition: GrantCompetition, *, fields: dict,
         lines: list[Line], locale: str) -> None:
    """Keep what was typed in a draft; the total is recomputed from the lines. Refuses a line
    whose amount is not an amount, and a draft no longer editable."""
    if application.status != "draft":
        raise DomainError(_l("A submitted application cannot be changed."))
    check_open(competition)
    bad = [i for i, line in enumerate(lines) if line.typed and line.amount is None]
    if bad:
        raise DomainError(_l("Amounts are numbers such as 1500 or 1500.50."), field="lines")
    if fields.get("applicant_kind") == "ngo" and not competition.allows_ngos:
        raise DomainError(_l("This call is not open to NGOs."), field="applicant_kind")
    if fields.get("applicant_kind") == "group" and not competition.allows_groups:
        raise DomainError(_l("This call is not open to informal groups."), field="applicant_kind")
    for name, value in fields.items():
        setattr(application, name, value)
    application.locale = locale
    db.session.execute(delete(GrantBudgetLine).where(GrantBudgetLine.application_id == application.id))
    db.session.add_all([GrantBudgetLine(application_id=application.id, position=i, item=line.item,
                                        amount=line.amount or 0)
                        for i, line in enumerate(line for line in lines if line.item or line.amount)])
    application.requested_amount = total(lines)
    db.session.flush()


REQUIRED = {
    "organisation": _l("the organisation or group"),
    "contact_name": _l("the contact person"),
    "email": _l("the e-mail"),
    "title": _l("the project's title"),
    "summary": _l("the summary"),
    "description": _l("the description"),
    "target_groups": _l("the target groups"),
    "activities": _l("the activities and timeline"),
}


def submit(application: GrantApplication, competition: GrantCompetition,
           now: datetime | None = None) -> None:
    """Submit a complete draft before the deadline; queues the receipt. Raises DomainError
    (late, incomplete, a budget outside the limits)."""
    now = now or utcnow()
    if application.status != "draft":
        raise DomainError(_l("This application is already submitted."))
    check_open(competition, now)
    missing = [str(label) for name, label in REQUIRED.items() if not getattr(application, name)]
    if missing:
        raise DomainError(_l("Fill in before submitting: %(fields)s.", fields=", ".join(missing)))
    if application.applicant_kind == "ngo" and not application.registration_number:
        raise DomainError(_l("An NGO gives its registration number."), field="registration_number")
    lines = lines_of(application)
    if not lines:
        raise DomainError(_l("Add at least one budget line."), field="lines")
    if any(not line.item or not line.amount for line in lines):
        raise DomainError(_l("Every budget line needs an item and an amount."), field="lines")
    problem = limit_problem(competition, application.requested_amount)
    if problem:
        raise DomainError(problem, field="lines")
    application.status = "submitted"
    application.submitted_at = now
    db.session.flush()
    queue_email(to=application.email, template="grant_receipt", locale=application.locale,
                idempotency_key=f"grants.receipt:{application.id}", new_key=True,
                context={"application": application, "competition": competition,
                         "number": number(application),
                         "url": message_url("grants.receipt", application_id=application.id)})


def number(application: GrantApplication) -> str:
    """The number the receipt gives (the call's and the application's)."""
    return f"G-{application.competition_id}-{application.id:04d}"


def lines_of(application: GrantApplication) -> list[GrantBudgetLine]:
    return list(db.session.scalars(select(GrantBudgetLine).where(
        GrantBudgetLine.application_id == application.id).order_by(GrantBudgetLine.position)))


def of_author(user_id: int) -> list[GrantApplication]:
    """A citizen's applications in this municipality, newest first (with their call)."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(select(GrantApplication).where(
        GrantApplication.author_id == user_id).options(joinedload(GrantApplication.competition))
        .order_by(GrantApplication.id.desc())))
