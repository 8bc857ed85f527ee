"""Job entry points of letters. The feature's registry entry names this module and its
``schedule`` runs both daily per municipality."""

from __future__ import annotations

from portal.db import utcnow
from portal.jobs import job


@job(retries=1)
def ask_letter_feedback(tenant_id: int) -> str:
    """Ask writers whether the answer was useful, once, some days after it (``feedback.py``)."""
    from portal.blueprints.letters.feedback import ask_due

    return f"{ask_due(utcnow())} asked"


@job(retries=1)
def anonymise_letters(tenant_id: int) -> str:
    """Erase writers' contacts of letters closed long enough ago (``anonymise.py``)."""
    from portal.blueprints.letters.anonymise import anonymise_closed

    return f"{anonymise_closed(utcnow())} anonymised"
