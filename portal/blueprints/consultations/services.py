"""Verbs on consultations: write one (with its sections), publish and unpublish it, attach
and remove draft documents, publish the summary. They flush, never commit, and raise
``ConsultationError`` (or ``UploadRefused``) with the form field the refusal is about; the
views record the audit entry and commit once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.consultations.models import (
    KINDS,
    Consultation,
    ConsultationComment,
    ConsultationDocument,
    ConsultationSection,
)
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_utc
from portal.services import storage, uploads
from portal.services.errors import DomainError
from portal.services.uploads import UploadRefused
from portal.tenancy import current_tenant

MAX_SECTIONS = 50
MAX_DOCUMENTS = 10
#: Per document (a draft budget as a PDF can be large; the request limit is the app's).
DOCUMENT_LIMIT = 10 * 1024 * 1024


class ConsultationError(DomainError):
    """A consultation rule refused the change."""


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def state(consultation: Consultation, now: datetime | None = None) -> str:
    """``upcoming``, ``open`` or ``closed``: where ``now`` falls in the comment period."""
    now = now or utcnow()
    if now < _aware(consultation.opens_at):
        return "upcoming"
    if now >= _aware(consultation.closes_at):
        return "closed"
    return "open"


def consultation_values(consultation: Consultation) -> dict:
    """What the audit log keeps of a consultation."""
    return {"title": consultation.title, "title_en": consultation.title_en, "kind": consultation.kind,
            "opens_at": _aware(consultation.opens_at).isoformat(),
            "closes_at": _aware(consultation.closes_at).isoformat(),
            "sections": [s.title for s in sections_of(consultation)],
            "is_published": consultation.is_published}


def parse_sections(lines: str) -> list[tuple[str, str]]:
    """"Georgian | English" a line (English optional) → (ka, en) pairs; raises on too many."""
    pairs = []
    for line in (lines or "").splitlines():
        ka, _sep, en = line.partition("|")
        if ka.strip():
            pairs.append((ka.strip()[:300], en.strip()[:300]))
    if len(pairs) > MAX_SECTIONS:
        raise ConsultationError(_l("At most %(count)s sections.", count=MAX_SECTIONS), "section_lines")
    return pairs


def sections_of(consultation: Consultation) -> list[ConsultationSection]:
    if consultation.id is None:
        return []
    return list(db.session.scalars(select(ConsultationSection).where(
        ConsultationSection.consultation_id == consultation.id).order_by(ConsultationSection.position)))


def documents_of(consultation: Consultation) -> list[ConsultationDocument]:
    return list(db.session.scalars(select(ConsultationDocument).where(
        ConsultationDocument.consultation_id == consultation.id).order_by(ConsultationDocument.id)))


def sections_text(consultation: Consultation) -> str:
    return "\n".join(f"{s.title} | {s.title_en}" if s.title_en else s.title for s in sections_of(consultation))


def save_consultation(consultation: Consultation | None, *, title: str, title_en: str = "",
                      kind: str = "other", summary: str = "", summary_en: str = "",
                      opens_at: datetime | None = None, closes_at: datetime | None = None,
                      sections: str = "") -> Consultation:
    """Create or change a consultation (a new one is a draft). ``opens_at``/``closes_at`` are
    wall-clock times in the municipality's zone; the sections are "Georgian | English" lines,
    kept in order (a comment keeps its section while the line stays in its place)."""
    title = (title or "").strip()
    if not title:
        raise ConsultationError(_l("Write a title."), "title")
    if kind not in KINDS:
        raise ConsultationError(_l("Choose a kind from the list."), "kind")
    if opens_at is None:
        raise ConsultationError(_l("Give the day and time comments open."), "opens_at")
    if closes_at is None:
        raise ConsultationError(_l("Give the day and time comments close."), "closes_at")
    if closes_at <= opens_at:
        raise ConsultationError(_l("Comments must close after they open."), "closes_at")
    pairs = parse_sections(sections)
    if consultation is None:
        consultation = Consultation(is_published=False)
        db.session.add(consultation)
    consultation.title, consultation.title_en = title, (title_en or "").strip()
    consultation.kind = kind
    consultation.summary, consultation.summary_en = (summary or "").strip(), (summary_en or "").strip()
    consultation.opens_at, consultation.closes_at = to_utc(opens_at), to_utc(closes_at)
    db.session.flush()
    _sync_sections(consultation, pairs)
    return consultation


def _sync_sections(consultation: Consultation, pairs: list[tuple[str, str]]) -> None:
    existing = sections_of(consultation)
    for position, (ka, en) in enumerate(pairs):
        if position < len(existing):
            existing[position].title, existing[position].title_en = ka, en
        else:
            db.session.add(ConsultationSection(consultation_id=consultation.id, position=position,
                                               title=ka, title_en=en))
    for gone in existing[len(pairs):]:
        db.session.delete(gone)
    db.session.flush()
    db.session.expire(consultation, ["sections"])


def publish(consultation: Consultation) -> bool:
    """Make the consultation public; True when this is its first publication (announce it)."""
    first = consultation.published_at is None
    consultation.is_published = True
    if first:
        consultation.published_at = utcnow()
    db.session.flush()
    return first


def unpublish(consultation: Consultation) -> None:
    consultation.is_published = False
    db.session.flush()


def check_documents(files) -> list[uploads.Checked]:
    """Every chosen file checked by its content, or UploadRefused on ``documents``."""
    chosen = [f for f in files if f and f.filename]
    if not chosen:
        raise UploadRefused(_l("Choose a file."), field="documents")
    checked = []
    for upload in chosen:
        try:
            checked.append(uploads.check(upload, limit=DOCUMENT_LIMIT, field="documents"))
        except UploadRefused as refused:
            raise UploadRefused(_l("“%(name)s”: %(reason)s", name=storage.safe_name(upload.filename),
                                   reason=refused.message), field="documents") from None
    return checked


def add_documents(consultation: Consultation, checked: list[uploads.Checked]) -> list[ConsultationDocument]:
    """Store checked files as the consultation's documents (gone again on rollback)."""
    if len(documents_of(consultation)) + len(checked) > MAX_DOCUMENTS:
        raise UploadRefused(_l("Attach at most %(count)s files.", count=MAX_DOCUMENTS), field="documents")
    rows = []
    for item in checked:
        key = uploads.store(item, folder=f"{current_tenant.slug}/consultations")
        rows.append(ConsultationDocument(consultation_id=consultation.id, storage_path=key, name=item.name,
                                         mimetype=item.mimetype, size=len(item.data)))
    db.session.add_all(rows)
    db.session.flush()
    db.session.expire(consultation, ["documents"])
    return rows


def remove_document(document: ConsultationDocument) -> None:
    storage.unlink_on_commit(document.storage_path)
    db.session.delete(document)
    db.session.flush()


def publish_outcome(consultation: Consultation, *, outcome: str, outcome_en: str = "",
                    now: datetime | None = None) -> None:
    """Publish the summary (what was received, what changed): only once comments are closed."""
    outcome = (outcome or "").strip()
    if state(consultation, now) != "closed":
        raise ConsultationError(_l("The summary is published once the comment period has ended."), "outcome")
    if not outcome:
        raise ConsultationError(_l("Write the summary."), "outcome")
    consultation.outcome, consultation.outcome_en = outcome, (outcome_en or "").strip()
    if consultation.outcome_published_at is None:
        consultation.outcome_published_at = utcnow()
    db.session.flush()


def pending_count() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(ConsultationComment.id)).where(
        ConsultationComment.status == "pending")) or 0
