"""Consultations' things for the tests and the URL-map walks (see tests/factories.py): a
published, open consultation of a municipality with a section, a document and a confirmed
comment, committed; the comment's confirmation link; a valid form for each staff POST route."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.blueprints.consultations import links, services
from portal.blueprints.consultations.models import Consultation, ConsultationComment, ConsultationDocument
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services import uploads
from portal.tenancy import tenant_context
from tests.factories import factory, submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def local_now() -> datetime:
    return to_local(utcnow()).replace(second=0, microsecond=0)


def make_consultation(app, tenant, *, title: str = "2027 წლის ბიუჯეტის პროექტი", published: bool = True,
                      opens_in_days: float = -1, closes_in_days: float = 14, document: bool = False,
                      **values) -> int:
    """A committed consultation (published and open unless told otherwise) with two sections."""
    with app.app_context(), tenant_context(tenant):
        now = local_now()
        fields = {"title": title, "title_en": "Draft 2027 budget", "kind": "budget",
                  "summary": "ბიუჯეტის პროექტი.", "summary_en": "The draft budget.",
                  "opens_at": now + timedelta(days=opens_in_days), "closes_at": now + timedelta(days=closes_in_days),
                  "sections": "შემოსავლები | Revenues\nინფრასტრუქტურა | Infrastructure"}
        consultation = services.save_consultation(None, **(fields | values))
        if published:
            services.publish(consultation)
        if document:
            services.add_documents(consultation, [uploads.Checked(PDF, uploads.PDF, "პროექტი.pdf")])
        db.session.commit()
        return consultation.id


def make_comment(app, tenant, consultation_id: int, *, status: str = "pending", answer: str = "",
                 email: str = "nino@example.ge", locale: str = "ka", body: str = "მეტი თანხა განათებისთვის.") -> int:
    with app.app_context(), tenant_context(tenant):
        consultation = db.session.get(Consultation, consultation_id)
        comment = ConsultationComment(consultation_id=consultation.id, name="ნინო", email=email, locale=locale,
                                      body=body, status=status, answer=answer,
                                      published_at=utcnow() if status == "published" else None)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def link_of(app, tenant, comment_id: int) -> str:
    with app.test_request_context(), tenant_context(tenant):
        return links.token(db.session.get(ConsultationComment, comment_id))


def _consultation(objects):
    return objects.once("consultation", lambda: make_consultation(objects.app, objects.tenant, document=True))


@factory("consultations", "consultation_id")
@factory("consultations_admin", "consultation_id")
def _consultation_id(objects):
    return _consultation(objects)


@factory("consultations", "consultation_document_id")
@factory("consultations_admin", "consultation_document_id")
def _document(objects):
    consultation_id = _consultation(objects)
    with objects.app.app_context(), tenant_context(objects.tenant):
        return db.session.scalar(select(ConsultationDocument.id).where(
            ConsultationDocument.consultation_id == consultation_id))


@factory("consultations_admin", "consultation_comment_id")
def _comment(objects):
    return objects.once("consultation_comment", lambda: make_comment(
        objects.app, objects.tenant, _consultation(objects), status="pending"))


@factory("consultations", "link_token")
def _link(objects):
    comment_id = objects.once("consultation_comment:unconfirmed", lambda: make_comment(
        objects.app, objects.tenant, _consultation(objects), status="unconfirmed"))
    return link_of(objects.app, objects.tenant, comment_id)


def consultation_form(**values) -> dict:
    return {"title": "ტურიზმის სტრატეგია", "title_en": "Tourism strategy", "kind": "strategy",
            "summary": "", "summary_en": "", "opens_at": "2026-06-01T10:00", "closes_at": "2026-07-01T18:00",
            "section_lines": "ეკოტურიზმი | Eco-tourism", **values}


@submission("consultations_admin.new")
def _new(objects, client):
    return consultation_form()


@submission("consultations_admin.edit")
def _edit(objects, client):
    return consultation_form(title="შეცვლილი სათაური")


def _set_published(objects, published: bool) -> dict:
    from sqlalchemy import update

    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(Consultation).where(Consultation.id == _consultation(objects))
                           .values(is_published=published))
        db.session.commit()
    return {}


@submission("consultations_admin.publish")
def _publish(objects, client):
    return _set_published(objects, False)


@submission("consultations_admin.unpublish")
def _unpublish(objects, client):
    return _set_published(objects, True)


@submission("consultations_admin.add_documents")
def _add_documents(objects, client):
    return {"documents": (io.BytesIO(PDF), "draft.pdf")}


@submission("consultations_admin.delete_document")
def _delete_document(objects, client):
    return {}


@submission("consultations_admin.outcome")
def _outcome(objects, client):
    from sqlalchemy import update

    with objects.app.app_context(), tenant_context(objects.tenant):
        past = utcnow() - timedelta(days=1)
        db.session.execute(update(Consultation).where(Consultation.id == _consultation(objects))
                           .values(opens_at=past - timedelta(days=10), closes_at=past))
        db.session.commit()
    return {"outcome": "მივიღეთ 3 შენიშვნა.", "outcome_en": ""}


@submission("consultations_admin.publish_comment")
def _publish_comment(objects, client):
    return {}


@submission("consultations_admin.reject_comment")
def _reject_comment(objects, client):
    return {"reason": "შეურაცხმყოფელი ტექსტი."}


@submission("consultations_admin.answer_comment")
def _answer_comment(objects, client):
    from sqlalchemy import update

    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(ConsultationComment).where(ConsultationComment.id == _comment(objects))
                           .values(status="published"))
        db.session.commit()
    return {"answer": "გმადლობთ, გავითვალისწინებთ."}


@submission("consultations_admin.note_comment")
def _note_comment(objects, client):
    return {"note": "ფინანსურ სამსახურს გადაეგზავნა."}
