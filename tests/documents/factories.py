"""The register's things for the tests and the URL-map walks (see tests/factories.py): a
published document of a municipality with a real PDF, committed, and a valid form for each
editors' POST route."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from portal.blueprints.documents import services
from portal.blueprints.documents.models import DocumentVersion, PublicDocument
from portal.blueprints.documents.pdf import make_pdf
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission


def pdf_upload(words: str = "ბიუჯეტის დანართი", name: str = "document.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(make_pdf("დოკუმენტი", [words])), filename=name,
                       content_type="application/pdf")


def make_document(app, tenant, *, title: str = "ბიუჯეტის დამტკიცების შესახებ", words: str = "ბიუჯეტის დანართი",
                  published: bool = True, **values) -> int:
    """A committed document (published unless told otherwise) with one PDF whose text is read."""
    fields = {"title": title, "title_en": "On approving the budget", "category": "budget",
              "issuer": "sakrebulo", "number": "45", "adopted_on": date(2025, 12, 26)}
    with app.app_context(), tenant_context(tenant):
        document = services.save_document(None, **(fields | values))
        services.add_version(document, pdf_upload(words), read_now=True)
        if published:
            services.publish(document)
        db.session.commit()
        return document.id


@factory("documents", "public_document_id")
@factory("documents_admin", "public_document_id")
def _document(objects):
    return objects.once("document", lambda: make_document(objects.app, objects.tenant))


@factory("documents", "document_version_id")
def _version(objects):
    document_id = int(objects.value("documents", "public_document_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        return db.session.scalar(select(DocumentVersion.id).where(DocumentVersion.document_id == document_id))


def document_form(**values) -> dict:
    return {"title": "მერის ბრძანება", "title_en": "Mayor's order", "category": "order",
            "issuer": "cityhall", "number": "01-12", "adopted_on": "2026-02-10",
            "description": "", "description_en": "", **values}


@submission("documents_admin.new")
def _new(objects, client):
    return document_form()


@submission("documents_admin.edit")
def _edit(objects, client):
    return document_form(title="შეცვლილი სათაური")


def _set_published(objects, published: bool) -> dict:
    document_id = int(objects.value("documents_admin", "public_document_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(PublicDocument).where(PublicDocument.id == document_id)
                           .values(is_published=published))
        db.session.commit()
    return {}


@submission("documents_admin.publish")
def _publish(objects, client):
    return _set_published(objects, False)


@submission("documents_admin.unpublish")
def _unpublish(objects, client):
    return _set_published(objects, True)


@submission("documents_admin.upload")
def _upload(objects, client):
    return {"note": "შესწორება", "file": (io.BytesIO(make_pdf("ვერსია", ["ახალი ვერსია"])), "v2.pdf")}
