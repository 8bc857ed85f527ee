"""The clerk's list of a petition's signatures for checking against the voter list: the only
place personal numbers are read back (decrypted), and every read is audit-logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.blueprints.petitions.models import Petition, Signature
from portal.extensions import db
from portal.services import audit


@dataclass(frozen=True)
class SignatureRow:
    position: int
    full_name: str
    personal_number: str
    unit: str
    is_paper: bool
    confirmed_at: datetime
    #: "valid"/"invalid" for sampled signatures the clerk checked, else None.
    validity: str | None


def signature_rows(petition: Petition) -> list[SignatureRow]:
    """The petition's confirmed, not anonymised signatures in signing order, personal numbers
    readable; records the read (``read.petition_signatures``) in the audit log. The caller
    (the clerk's export view) checks the clerk's permission first."""
    signatures = db.session.scalars(
        select(Signature).where(Signature.petition_id == petition.id,
                                Signature.confirmed_at.is_not(None),
                                Signature.anonymised_at.is_(None),
                                Signature.invalidated_at.is_(None))
        .order_by(Signature.confirmed_at, Signature.id)).all()
    audit.record_read("petition_signatures", target=f"petition:{petition.id}")
    return [SignatureRow(position=n, full_name=s.full_name, personal_number=s.personal_number or "",
                         unit=s.unit, is_paper=s.is_paper, confirmed_at=s.confirmed_at,
                         validity=s.validity)
            for n, s in enumerate(signatures, start=1)]
