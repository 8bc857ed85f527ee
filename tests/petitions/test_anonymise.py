"""Signers' personal data is blanked six months after the petition closes; counts stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.petitions import counting, signing
from portal.blueprints.petitions.anonymise import KEEP_FOR, anonymise_closed
from portal.blueprints.petitions.models import Signature
from portal.db import aware
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer


def signatures(petition):
    return db.session.scalars(select(Signature).where(Signature.petition_id == petition.id)
                              .order_by(Signature.id)).all()


def test_closed_petitions_lose_their_signers_personal_data(ctx, poti, abasha):
    with tenant_context(poti):
        old, recent, open_ = (make_petition(title=t) for t in ("ძველი", "ახალი", "ღია"))
        for petition in (old, recent, open_):
            for n in (1, 2):
                row = signing.sign(petition, now=NOW, phone="555123456", unit="ცენტრი",
                                   network_address="192.0.2.9", **signer(n))
                signing.confirm(signing.confirmation_token(row, now=NOW), now=NOW)
        signing.add_paper_signature(old, full_name="ქაღალდი", personal_number="77777777777",
                                    now=NOW)
        counting.count_confirmed()
        old.status, old.closed_at = "closed_unsuccessful", NOW
        recent.status, recent.closed_at = "submitted", NOW + timedelta(days=30)
        db.session.flush()
    with tenant_context(abasha):
        theirs = make_petition(status="closed_unsuccessful", closed_at=NOW)
        signing.add_paper_signature(make_petition(), full_name="აბაშელი",
                                    personal_number="88888888888", now=NOW)
        theirs_id = theirs.id

    later = NOW + KEEP_FOR + timedelta(days=1)
    with tenant_context(poti):
        assert anonymise_closed(later) == 3
        db.session.expire_all()
        for row in signatures(old):
            assert (row.full_name, row.email, row.email_normalised, row.phone) == ("", "", "", "")
            assert row.personal_number is None and row.personal_number_hash is None
            assert row.address_hash is None
            assert aware(row.anonymised_at) == later
            assert row.confirmed_at is not None and row.counted_at is not None  # still counted
        assert {r.unit for r in signatures(old)} == {"ცენტრი", ""}
        assert all(r.full_name and r.personal_number and r.address_hash
                   for r in signatures(recent) + signatures(open_))
        db.session.refresh(old)
        assert old.signature_count == 3 and counting.reconcile() == []
        assert anonymise_closed(later) == 0  # once is enough
        assert anonymise_closed(NOW + timedelta(days=30) + KEEP_FOR) == 2  # now the recent one
    with tenant_context(abasha):
        assert db.session.scalars(select(Signature.full_name).where(
            Signature.petition_id != theirs_id)).all() == ["აბაშელი"]


def test_an_anonymised_signature_cannot_be_confirmed(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        row = signing.sign(petition, now=NOW, **signer(3))
        token = signing.confirmation_token(row, now=NOW)
        petition.closed_at = NOW - KEEP_FOR - timedelta(days=1)
        anonymise_closed(NOW, after=KEEP_FOR)
        db.session.expire_all()
        with pytest.raises(DomainError):
            signing.confirm(token, now=NOW)


def test_each_municipality_sets_how_long_it_keeps_the_data(ctx, poti, abasha):
    from portal.blueprints.petitions.settings import petitions_settings

    with tenant_context(abasha):
        petitions_settings.set_many({"anonymise_after_days": 30})
        theirs = make_petition()
        signing.add_paper_signature(theirs, full_name="აბაშელი", personal_number="88888888888",
                                    now=NOW)
        theirs.status, theirs.closed_at = "closed_unsuccessful", NOW
        db.session.flush()
    with tenant_context(poti):
        ours = make_petition()
        signing.add_paper_signature(ours, full_name="ფოთელი", personal_number="77777777777",
                                    now=NOW)
        ours.status, ours.closed_at = "closed_unsuccessful", NOW
        db.session.flush()
        assert anonymise_closed(NOW + timedelta(days=31)) == 0  # Poti keeps six months
        assert anonymise_closed(NOW + KEEP_FOR + timedelta(days=1)) == 1
    with tenant_context(abasha):
        assert anonymise_closed(NOW + timedelta(days=29)) == 0
        assert anonymise_closed(NOW + timedelta(days=31)) == 1
