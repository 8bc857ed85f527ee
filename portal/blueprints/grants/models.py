"""Small-grants competitions (issue 15): the call, its criteria and documents; applications
with their budget lines and attachments; the committee's reviews and scores; the winners'
reports with spending lines and photos.

Money is kept in minor units (tetri, cents) beside the competition's currency. An application
holds the applicant's contacts (personal data): only its author and the municipality's grants
staff read them; the public pages of funded projects show the organisation, the title, the
summary, the amount and the reports.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow

#: An application's life: the author edits a draft, submits it before the deadline, the
#: committee scores it and the grants office decides.
STATUSES = ("draft", "submitted", "funded", "not_funded")
#: Who may apply.
APPLICANT_KINDS = ("ngo", "group")
#: A committee member's review of one application.
REVIEW_KINDS = ("scored", "conflict")
#: A funded project's report.
REPORT_KINDS = ("progress", "final")


class GrantCompetition(TenantOwned, Timestamped, Model):
    __tablename__ = "grant_competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_ka: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    aims_ka: Mapped[str] = mapped_column(Text, default="")
    aims_en: Mapped[str] = mapped_column(Text, default="")
    #: Registered NGOs may apply.
    allows_ngos: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Informal initiative groups may apply.
    allows_groups: Mapped[bool] = mapped_column(Boolean, default=True)
    #: ISO 4217 code: every amount of the competition is in it.
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    #: Minor units.
    total_budget: Mapped[int] = mapped_column(Integer)
    min_amount: Mapped[int] = mapped_column(Integer)
    max_amount: Mapped[int] = mapped_column(Integer)
    call_opens_on: Mapped[date] = mapped_column(Date)
    #: The last moment an application is taken (the municipality's wall clock, kept in UTC).
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    evaluation_until: Mapped[date] = mapped_column(Date)
    results_on: Mapped[date] = mapped_column(Date)
    #: Shown on the public pages (a draft call is the office's only).
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Results announced: applicants told, funded projects public.
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def title(self) -> dict[str, str]:
        """ka/en, for ``|l10n``."""
        return {"ka": self.title_ka, "en": self.title_en}

    @property
    def aims(self) -> dict[str, str]:
        return {"ka": self.aims_ka, "en": self.aims_en}

    criteria: Mapped[list[GrantCriterion]] = relationship(
        back_populates="competition", order_by="GrantCriterion.position",
        cascade="all, delete-orphan", passive_deletes=True)


class GrantCriterion(TenantOwned, Model):
    """What the committee scores, from 0 to ``max_score``; ``weight`` in percent."""

    __tablename__ = "grant_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("grant_competitions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_ka: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    weight: Mapped[int] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer, default=10)

    competition: Mapped[GrantCompetition] = relationship(back_populates="criteria")

    @property
    def name(self) -> dict[str, str]:
        return {"ka": self.name_ka, "en": self.name_en}


class GrantApplication(TenantOwned, Timestamped, Model):
    __tablename__ = "grant_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("grant_competitions.id", ondelete="CASCADE"), index=True)
    #: The signed-in citizen who writes it.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    applicant_kind: Mapped[str] = mapped_column(String(10), default="ngo")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    #: The NGO's registration number (none for an informal group).
    registration_number: Mapped[str] = mapped_column(String(50), default="")
    #: Personal data: the contact person.
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    target_groups: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    #: The sum of the budget lines (minor units), kept by the server.
    requested_amount: Mapped[int] = mapped_column(Integer, default=0)
    #: The applicant's language: messages to them are in it.
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Minor units, once funded.
    awarded_amount: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    competition: Mapped[GrantCompetition] = relationship()


class GrantBudgetLine(TenantOwned, Model):
    __tablename__ = "grant_budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(300))
    amount: Mapped[int] = mapped_column(Integer)


class GrantReview(TenantOwned, Model):
    """One committee member's word on one application: scored (with a score per criterion) or
    a declared conflict of interest (no scores, and none of the others' shown)."""

    __tablename__ = "grant_reviews"
    __table_args__ = (UniqueConstraint("tenant_id", "application_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    scores: Mapped[list[GrantScore]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class GrantScore(TenantOwned, Model):
    __tablename__ = "grant_scores"
    __table_args__ = (UniqueConstraint("tenant_id", "review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("grant_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class GrantReport(TenantOwned, Model):
    """A funded project's report (progress or final), public with the project."""

    __tablename__ = "grant_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    lines: Mapped[list[GrantSpendingLine]] = relationship(
        order_by="GrantSpendingLine.position", cascade="all, delete-orphan", passive_deletes=True)


class GrantSpendingLine(TenantOwned, Model):
    __tablename__ = "grant_spending_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(300))
    amount: Mapped[int] = mapped_column(Integer)


class GrantFile(TenantOwned, Model):
    """A file of a competition (the call's documents, public), of an application (its
    attachments: the author and staff only) or of a report (photos, public with the funded
    project); exactly one owner is set. Checked by content (``services/uploads``)."""

    __tablename__ = "grant_files"
    __table_args__ = (UniqueConstraint("tenant_id", "storage_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_competitions.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    storage_path: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
