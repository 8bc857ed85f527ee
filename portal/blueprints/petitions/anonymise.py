"""Signers' personal data is blanked some time after their petition closes; counts stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.blueprints.petitions.models import Petition, Signature
from portal.extensions import db

#: Default time a closed petition keeps its signers' personal data (about six months).
KEEP_FOR = timedelta(days=182)


def anonymise_closed(now: datetime, after: timedelta = KEEP_FOR) -> int:
    """Blank names, contacts, network-address hashes and personal numbers (hash and encrypted
    copy) of the signatures of the current municipality's petitions closed more than ``after``
    before ``now``; flushes.

    The rows stay (counts, confirmation and counting times, paper flag, unit, sampled
    validity), so every count and the verification result still add up. Returns how many
    signatures were anonymised; running it again anonymises none.
    """
    closed = select(Petition.id).where(Petition.closed_at.is_not(None),
                                       Petition.closed_at <= now - after)
    result = db.session.execute(
        update(Signature)
        .where(Signature.petition_id.in_(closed), Signature.anonymised_at.is_(None))
        .values(full_name="", personal_number_hash=None, personal_number=None, email="",
                email_normalised="", phone="", address_hash=None, anonymised_at=now)
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount or 0
