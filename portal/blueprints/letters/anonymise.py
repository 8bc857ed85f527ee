"""Writers' contacts are erased some months after their letter closed; the letter stays."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from portal.blueprints.letters.lifecycle import ANSWERED
from portal.blueprints.letters.models import Letter
from portal.blueprints.letters.settings import letters_settings
from portal.extensions import db


def anonymise_closed(now: datetime, months: int | None = None) -> int:
    """Blank name, e-mail, phone, address and the link to the account of the current
    municipality's letters answered, forwarded or closed more than ``months`` (the setting
    ``keep_contacts_months``; a month is 30 days) before ``now``; flushes.

    Subject, text, reply, dates, status and feedback stay, so the statistics and the public
    list are unchanged. Returns how many letters were anonymised; a second run finds none.
    """
    months = months if months is not None else int(letters_settings.get("keep_contacts_months") or 12)
    result = db.session.execute(
        update(Letter)
        .where(Letter.status.in_((*ANSWERED, "closed")), Letter.closed_at.is_not(None),
               Letter.closed_at <= now - timedelta(days=30 * months),
               Letter.anonymised_at.is_(None))
        .values(full_name="", email="", phone="", address="", author_id=None, anonymised_at=now)
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount or 0
