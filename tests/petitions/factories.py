"""Petitions made for tests that walk routes (``tests/tenancy/test_staff_isolation.OBJECTS``):
committed, in the given municipality, returning the id a URL names."""

from __future__ import annotations

from datetime import timedelta

from portal.blueprints.petitions.models import Petition
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context


def make_petition(app, tenant, status: str = "collecting") -> int:
    """A petition collecting signatures now (ten days left), or of ``status``."""
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = Petition(title="ნაგვის გატანა", text="ტექსტი", requested_action="განიხილოს",
                            status=status, threshold=201, collection_opens_at=now - timedelta(days=1),
                            collection_closes_at=now + timedelta(days=10))
        db.session.add(petition)
        db.session.commit()
        return petition.id
