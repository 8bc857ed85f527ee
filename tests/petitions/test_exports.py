"""The clerk's export reads personal numbers back, and only it; each read is audit-logged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.petitions import exports, signing
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer


def test_rows_hold_confirmed_signatures_with_their_numbers(ctx, poti, abasha):
    with tenant_context(abasha):
        signing.add_paper_signature(make_petition(), full_name="აბაშელი",
                                    personal_number="33333333333", now=NOW)
    with tenant_context(poti):
        petition = make_petition()
        online = signing.sign(petition, now=NOW, unit="ცენტრი", **signer(5))
        signing.sign(petition, now=NOW, **signer(6))  # never confirmed
        paper = signing.add_paper_signature(petition, full_name="ქაღალდი",
                                            personal_number="22222222222", now=NOW)
        signing.confirm(signing.confirmation_token(online, now=NOW),
                        now=NOW + timedelta(minutes=1))
        rows = exports.signature_rows(petition)
        assert [(r.position, r.full_name, r.personal_number, r.is_paper) for r in rows] == [
            (1, paper.full_name, "22222222222", True),
            (2, online.full_name, "00000000005", False)]
        assert rows[1].unit == "ცენტრი"
        reads = db.session.scalars(select(AuditEntry.target).where(
            AuditEntry.action == "read.petition_signatures")).all()
        assert reads == [f"petition:{petition.id}"]
