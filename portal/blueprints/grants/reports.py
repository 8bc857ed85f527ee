"""A funded project's reports: progress and final, each with what was spent (lines summed
here) and photos. Written by the applicant once the results are announced; public with the
funded project."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.grants.applications import Line
from portal.blueprints.grants.models import (
    REPORT_KINDS,
    GrantApplication,
    GrantCompetition,
    GrantReport,
    GrantSpendingLine,
)
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError


def add(application: GrantApplication, competition: GrantCompetition, *, kind: str, text: str,
        lines: list[Line]) -> GrantReport:
    """A report of a funded, announced project; flushes and audits."""
    if application.status != "funded" or competition.announced_at is None:
        raise DomainError(_l("Reports are written for funded projects."))
    if kind not in REPORT_KINDS:
        raise DomainError(_l("Choose the kind of report."), field="kind")
    if not text.strip():
        raise DomainError(_l("Write what was done."), field="text")
    if any(line.typed and line.amount is None for line in lines) or any(
            bool(line.item) != bool(line.amount) for line in lines):
        raise DomainError(_l("Every spending line needs an item and an amount, such as 1500 "
                             "or 1500.50."), field="lines")
    report = GrantReport(application_id=application.id, kind=kind, text=text.strip())
    for i, line in enumerate(line for line in lines if line.item):
        report.lines.append(GrantSpendingLine(position=i, item=line.item, amount=line.amount))
    db.session.add(report)
    db.session.flush()
    audit.record("grants.report.submitted", target=f"grant_application:{application.id}",
                 after={"report": report.id, "kind": kind})
    return report


def of_application(application_id: int) -> list[GrantReport]:
    return list(db.session.scalars(select(GrantReport).where(
        GrantReport.application_id == application_id)
        .options(selectinload(GrantReport.lines)).order_by(GrantReport.submitted_at)))


def spent(report: GrantReport) -> int:
    return sum(line.amount for line in report.lines)
