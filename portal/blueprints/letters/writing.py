"""Writing a letter and finding it again by its tracking code.

The tracking code is ten characters of Crockford's base-32 (no I, L, O or U, so it reads
aloud and types without confusion), shown as ``ABCDE-FGHJK``: 50 random bits. Only a keyed
hash of it is stored; the e-mail that carries it seals it in the outbox (``queue_email``'s
``secret``), so neither a dump nor the outbox page shows a working code. Looking a letter up
needs the code and the writer's e-mail address; the link in the e-mail needs the code alone.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.letters.models import RECIPIENTS, Letter
from portal.blueprints.letters.settings import letters_settings
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError
from portal.services.recipients import InvalidRecipient, check_email
from portal.services.working_days import add_working_days

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
PURPOSE = "letters.tracking"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


#: The first line of the writer's receipt, per recipient (Georgian declines the noun).
RECEIVED = {
    "mayor": _l("Your letter “%(subject)s” to the mayor is received."),
    "chair": _l("Your letter “%(subject)s” to the chair of the Sakrebulo is received."),
}


#: The subject line of the note to the office's inbox.
NEW_LETTER = {"mayor": _l("A new letter to the mayor"),
              "chair": _l("A new letter to the chair of the Sakrebulo")}


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def clean_code(typed: str) -> str | None:
    """The code as issued (``ABCDE-FGHJK``) from what a person typed (any case, spaces,
    dashes, O for 0, I or L for 1), or None when it cannot be one."""
    raw = re.sub(r"[\s\-]", "", (typed or "").upper()).translate(_CONFUSABLE)
    if len(raw) != CODE_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return f"{raw[:5]}-{raw[5:]}"


def code_hash(code: str) -> str:
    return lookup_hash(code, PURPOSE)


def write(*, recipient: str, full_name: str, email: str, phone: str = "", address: str = "",
          unit: str = "", subject: str, text: str, wants_publication: bool = False,
          locale: str = "ka", author_id: int | None = None, submission_key: str | None = None,
          now: datetime | None = None) -> tuple[Letter, str]:
    """Receive a letter: fix its due date, e-mail the writer the tracking code; flushes.

    Returns the letter and its tracking code. Raises DomainError (naming the field) for an
    unknown recipient, an empty name, subject or text, or an unusable e-mail address."""
    now = now or utcnow()
    if recipient not in RECIPIENTS:
        raise DomainError(_l("Choose whom the letter is to."), field="recipient")
    fields = {"full_name": " ".join((full_name or "").split()),
              "subject": " ".join((subject or "").split()), "text": (text or "").strip()}
    for name, message in (("full_name", _l("Write your first and last name.")),
                          ("subject", _l("Write the subject.")),
                          ("text", _l("Write the letter."))):
        if not fields[name]:
            raise DomainError(message, field=name)
    try:
        address_ok = check_email(email or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter an e-mail address."), field="email") from None
    received_on = to_local(now).date()
    code = new_code()
    letter = Letter(
        recipient=recipient, tracking_hash=code_hash(code), author_id=author_id,
        full_name=fields["full_name"][:200], email=address_ok, phone=(phone or "")[:30],
        address=" ".join((address or "").split())[:300], unit=(unit or "").strip()[:100],
        subject=fields["subject"][:200], text=fields["text"][:20000], locale=locale,
        received_at=now, wants_publication=wants_publication, submission_key=submission_key,
        due_on=add_working_days(received_on, int(letters_settings.get("answer_days") or 10)))
    db.session.add(letter)
    db.session.flush()
    _mail_code(letter, code)
    _tell_office(letter)
    return letter, code


def already_sent(submission_key: str | None) -> bool:
    """Whether the form with this key has stored its letter already (this municipality's)."""
    if not submission_key:
        return False
    return db.session.scalar(
        select(Letter.id).where(Letter.submission_key == submission_key).limit(1)) is not None


def _tell_office(letter: Letter) -> None:
    """A note to the office's inbox (the profile's ``contacts.*.inbox``), when one is set: the
    subject and a link to the staff page, no contacts (they stay behind the sign-in)."""
    from portal.services.outbox import queue_email
    from portal.tenancy import current_tenant
    from portal.tenancy.links import message_url

    office = current_tenant.config.contacts.get("city_hall" if letter.recipient == "mayor" else "sakrebulo")
    if office is None or not office.inbox:
        return
    locale = current_tenant.config.default_locale
    with force_locale(locale):
        queue_email(
            to=office.inbox, template="notice", locale=locale,
            idempotency_key=f"letters.office:{letter.id}",
            context={"title": str(NEW_LETTER[letter.recipient]),
                     "lines": [_("Subject: %(subject)s", subject=letter.subject)],
                     "action_url": message_url(f"letters_{letter.recipient}.letter", letter_id=letter.id),
                     "action_label": _("Open the letter")})


def _mail_code(letter: Letter, code: str) -> None:
    from portal.i18n import long_date
    from portal.services.outbox import queue_email
    from portal.tenancy.links import message_url

    with force_locale(letter.locale):
        queue_email(
            to=letter.email, template="notice", locale=letter.locale, secret=code,
            idempotency_key=f"letters.received:{letter.id}",
            context={"title": _("Your letter is received"),
                     "lines": [str(RECEIVED[letter.recipient]) % {"subject": letter.subject},
                               _("Your tracking code: %(code)s", code=code),
                               _("An answer is due by %(date)s.", date=long_date(letter.due_on)),
                               _("Follow your letter with the link below, or with the code and "
                                 "your e-mail address on the municipality's letters page.")],
                     "action_url": message_url("letters.tracked", letter_token=code),
                     "action_label": _("Follow your letter")})


def find(code: str, email: str | None = None) -> Letter | None:
    """This municipality's letter with tracking code ``code`` (and, when given, written from
    ``email``); None when there is none, or it was anonymised."""
    cleaned = clean_code(code)
    if cleaned is None:
        return None
    letter = db.session.scalar(select(Letter).where(Letter.tracking_hash == code_hash(cleaned)))
    if letter is None or letter.anonymised_at is not None:
        return None
    if email is not None and letter.email.lower() != (email or "").strip().lower():
        return None
    return letter
