"""Surveys and quick polls: their sections and questions, and the answers people gave.

A response is stored without identity: ``respondent_hash`` is a keyed hash
(``crypto.lookup_hash``) of the browser's nonce, the confirmed e-mail address or the phone,
per survey, kept only so that one browser, address or phone answers once. Only a survey that
says so (``keeps_contact``) keeps the confirmed address or phone with the answers, encrypted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow
from portal.services.crypto import EncryptedString

#: A survey of sections and questions, or a one-question quick poll.
KINDS = ("survey", "poll")
#: Who may answer: anyone (one answer per browser), or confirmed by e-mail link or SMS code.
ACCESS = ("anyone", "email", "sms")
#: Draft (staff only), published (open between its dates), closed by staff.
STATUSES = ("draft", "published", "closed")
#: The kinds of question; ``CHOICE_KINDS`` answer with one of their options.
QUESTION_KINDS = ("single", "multiple", "rating", "ranking", "short_text", "long_text", "number",
                  "unit")
CHOICE_KINDS = ("single", "unit", "rating")
WITH_OPTIONS = ("single", "multiple", "ranking")


class Survey(TenantOwned, Timestamped, Model):
    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_tenant_id_status", "tenant_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="survey")
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    access: Mapped[str] = mapped_column(String(10), default="anyone")
    #: The confirmed e-mail address or phone is kept with the answers (encrypted), and the
    #: survey's page says so; otherwise answers carry no identity at all.
    keeps_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Staff published the results: anyone may read them.
    results_public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A quick poll shown on the municipality's home page.
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The template it was made from ("city_satisfaction"), and the year it measures.
    template: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int | None] = mapped_column(Integer)

    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey", order_by="SurveySection.position", cascade="all, delete-orphan",
        lazy="selectin")
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan",
        lazy="selectin")

    def t(self, name: str) -> dict:
        """A ka/en pair for ``|l10n`` (``title``, ``intro``)."""
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class SurveySection(TenantOwned, Model):
    """A page of the survey: answered one after another, so a condition on an earlier
    section's answer is decided on the server (works without JavaScript)."""

    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="sections")

    def t(self, name: str) -> dict:
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class Question(TenantOwned, Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True)
    #: Order within the survey (sections first, then this).
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    help: Mapped[str] = mapped_column(String(500), default="")
    help_en: Mapped[str] = mapped_column(String(500), default="")
    is_required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: [{"value": "o1", "ka": "…", "en": "…"}, …] for single, multiple and ranking questions.
    options: Mapped[list] = mapped_column(JSON, default=list)
    #: The rating scale's ends (1..5 by default) and their words.
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    low_label: Mapped[str] = mapped_column(String(100), default="")
    low_label_en: Mapped[str] = mapped_column(String(100), default="")
    high_label: Mapped[str] = mapped_column(String(100), default="")
    high_label_en: Mapped[str] = mapped_column(String(100), default="")
    #: Shown only when this earlier question (of an earlier section) was answered with one of
    #: ``condition_values``.
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="SET NULL"))
    condition_values: Mapped[list] = mapped_column(JSON, default=list)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def t(self, name: str) -> dict:
        return {"ka": getattr(self, name), "en": getattr(self, f"{name}_en")}


class SurveyResponse(TenantOwned, Model):
    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("tenant_id", "survey_id", "respondent_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: Keyed hash of the browser's nonce, the e-mail address or the phone, for this survey:
    #: one answer each. Not reversible without the portal's lookup key.
    respondent_hash: Mapped[str] = mapped_column(String(64))
    #: The confirmed address or phone, only when the survey keeps it (personal data).
    contact: Mapped[str | None] = mapped_column("contact_sealed", EncryptedString(400))
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurveyAnswer(TenantOwned, Model):
    """One value of one answer: a chosen option, a rating, a number, a text; a multiple
    choice has a row per option, a ranking a row per option with its ``rank``."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_question_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"))
    #: The option's value, the unit's Georgian name, the rating or number as text, or the text.
    value: Mapped[str] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
