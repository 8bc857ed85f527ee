"""Job entry points of petitions. The feature's registry entry names this module (its job
modules) and its ``schedule`` runs ``count_signatures`` every minute,
``reconcile_signature_counts`` daily and ``anonymise_signatures`` daily."""

from __future__ import annotations

import logging

from portal.db import utcnow
from portal.extensions import db
from portal.jobs import job

log = logging.getLogger("portal.petitions")


# Not retried: the next run (a minute later) counts whatever this one left.
@job(retries=0)
def count_signatures(tenant_id: int) -> str:
    """Add the municipality's confirmed signatures to the public counts, batch by batch, then
    submit the petitions that reached their threshold and close those whose time ran out."""
    from portal.blueprints.petitions.counting import count_confirmed
    from portal.blueprints.petitions.lifecycle import close_due

    counted = count_confirmed(checkpoint=db.session.commit)
    if counted is None:
        return "another counter is running"
    moved = close_due()
    return f"{counted} counted; collection ended for {len(moved)}"


@job(retries=0)
def reconcile_signature_counts(tenant_id: int) -> str:
    """Count what is pending, then list petitions whose count differs from confirmed rows."""
    from portal.blueprints.petitions.counting import count_confirmed, reconcile

    if count_confirmed(checkpoint=db.session.commit) is None:
        return "another counter is running; try later"
    mismatches = reconcile()
    for m in mismatches:
        log.error("petition %s: public count %s, confirmed signatures %s",
                  m.petition_id, m.signature_count, m.confirmed)
    return f"{len(mismatches)} mismatched" if mismatches else "all counts match"


@job(retries=1)
def anonymise_signatures(tenant_id: int) -> str:
    """Blank signers' personal data of petitions closed long enough ago (``anonymise.py``)."""
    from portal.blueprints.petitions.anonymise import anonymise_closed

    return f"{anonymise_closed(utcnow())} anonymised"
