"""What the public sees of consultations: published ones (open first, then upcoming, then
closed), one consultation with its sections and documents, its published comments with their
answers and counts of what was received."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.blueprints.consultations.models import Consultation, ConsultationComment
from portal.extensions import db


def published() -> list[Consultation]:
    return list(db.session.scalars(
        select(Consultation).where(Consultation.is_published.is_(True))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc()).limit(200)))


def public_consultation(consultation_id: int) -> Consultation | None:
    return db.session.scalar(
        select(Consultation).where(Consultation.id == consultation_id, Consultation.is_published.is_(True))
        .options(selectinload(Consultation.sections), selectinload(Consultation.documents)))


def published_comments(consultation_id: int) -> list[ConsultationComment]:
    return list(db.session.scalars(
        select(ConsultationComment).where(ConsultationComment.consultation_id == consultation_id,
                                          ConsultationComment.status == "published")
        .options(selectinload(ConsultationComment.section))
        .order_by(ConsultationComment.published_at, ConsultationComment.id)))


def received(consultation_id: int) -> dict[str, int]:
    """Comments by status (unconfirmed ones are not counted as received)."""
    rows = db.session.execute(
        select(ConsultationComment.status, func.count(ConsultationComment.id))
        .where(ConsultationComment.consultation_id == consultation_id,
               ConsultationComment.status != "unconfirmed")
        .group_by(ConsultationComment.status)).all()
    return {status: count for status, count in rows}


def comment_counts(ids: list[int]) -> dict[int, int]:
    """Published comments per consultation (the list's cards)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(ConsultationComment.consultation_id, func.count(ConsultationComment.id))
        .where(ConsultationComment.consultation_id.in_(ids), ConsultationComment.status == "published")
        .group_by(ConsultationComment.consultation_id)).all()
    return dict(rows)
