"""Petitions' things for the URL-map walks (see tests/factories.py): a petition collecting
signatures now (with an attachment), the confirmation token of an unconfirmed signature of it,
and a draft's co-sponsor and private link."""

from __future__ import annotations

import itertools
from datetime import timedelta

from portal.blueprints.petitions import cosponsors, signing
from portal.blueprints.petitions.models import Cosponsor, Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context
from tests.factories import factory

#: The smallest PDF the upload check takes (the walks only need one stored file).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_numbers = itertools.count(1)


def make_petition(app, tenant, status: str = "collecting") -> int:
    """A petition collecting signatures now (ten days left), or of ``status``; committed."""
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        key, _name = storage.save(f"{tenant.slug}/petitions", "attachment.pdf", PDF)
        petition = Petition(title="ნაგვის გატანა", text="ტექსტი", requested_action="განიხილოს",
                            status=status, threshold=201, collection_opens_at=now - timedelta(days=1),
                            collection_closes_at=now + timedelta(days=10), attachment_path=key,
                            attachment_name="გეგმა.pdf", attachment_type="application/pdf")
        db.session.add(petition)
        db.session.commit()
        return petition.id


@factory("petitions", "petition_id")
def _petition(objects):
    return objects.once("petition", lambda: make_petition(objects.app, objects.tenant))


@factory("petitions", "signature_token")
def _signature_token(objects):
    petition_id = int(objects.value("petitions", "petition_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        n = next(_numbers)
        signature = Signature(petition_id=petition_id, full_name="ნინო ბერიძე",
                              personal_number_hash=f"walk-{objects.tenant.slug}-{n}",
                              email=f"walk{n}@example.ge", has_consent=True)
        db.session.add(signature)
        db.session.commit()
        return signing.confirmation_token(signature)


def _authors_draft(objects) -> int:
    return int(objects.value("petitions_author", "petition_id"))


@factory("petitions_author", "cosponsor_token")
def _cosponsor_token(objects):
    """The private link of the author's draft (see admin_factories: the author's petition)."""
    with objects.app.app_context(), tenant_context(objects.tenant):
        petition = db.session.get(Petition, _authors_draft(objects))
        if not petition.cosponsor_key:
            petition.cosponsor_key = f"walk-key-{objects.tenant.slug}"
            db.session.commit()
        return cosponsors.token(petition)


@factory("petitions_author", "cosponsor_id")
def _cosponsor(objects):
    with objects.app.app_context(), tenant_context(objects.tenant):
        cosponsor = Cosponsor(petition_id=_authors_draft(objects), full_name="გიორგი ხუბუა")
        db.session.add(cosponsor)
        db.session.commit()
        return cosponsor.id
