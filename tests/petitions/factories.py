"""Petitions' things for the URL-map walks (see tests/factories.py): a petition collecting
signatures now, and the confirmation token of an unconfirmed signature of it."""

from __future__ import annotations

import itertools
from datetime import timedelta

from portal.blueprints.petitions import signing
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory

_numbers = itertools.count(1)


def make_petition(app, tenant, status: str = "collecting") -> int:
    """A petition collecting signatures now (ten days left), or of ``status``; committed."""
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = Petition(title="ნაგვის გატანა", text="ტექსტი", requested_action="განიხილოს",
                            status=status, threshold=201, collection_opens_at=now - timedelta(days=1),
                            collection_closes_at=now + timedelta(days=10))
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
