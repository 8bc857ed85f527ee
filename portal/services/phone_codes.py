"""Confirm that a person holds a phone: a short code sent by SMS, typed back within minutes.

One piece for every feature that needs a confirmed phone (petition authors, SMS
subscriptions, survey answers)::

    phone_codes.send_code(phone, f"petitions.author:{user.id}", language="ka")
    ...
    try:
        phone_codes.confirm(phone, f"petitions.author:{user.id}", typed)
    except phone_codes.CodeRefused as error:
        db.session.commit()   # a wrong try counts, even though the answer is a refusal
        ...

A purpose names what is confirmed and for whom (``<feature>.<what>:<id>``), so a code sent
for one thing never confirms another. The code is six digits from ``secrets``, stored only as
a keyed hash (``crypto.lookup_hash``; in the outbox it is sealed like a link token), valid
for ``LIFETIME``, and allows ``MAX_ATTEMPTS`` tries; at most ``MAX_PER_HOUR`` codes go to one
phone for one purpose in an hour. Both functions flush, never commit.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import DateTime

from portal.db import Model, utcnow
from portal.extensions import db
from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError
from portal.services.outbox import queue_sms
from portal.services.recipients import InvalidRecipient, normalise_phone
from portal.tenancy import get_current_tenant

#: How long a code can be typed back.
LIFETIME = timedelta(minutes=10)
#: Codes one phone may receive for one purpose within an hour (each SMS costs money).
MAX_PER_HOUR = 3
#: Codes for one purpose within an hour whatever the phone: one person changing the number
#: again and again cannot have the portal text strangers at its expense.
MAX_PER_PURPOSE_HOUR = 6
#: Tries per code; then only a new code helps.
MAX_ATTEMPTS = 5


class PhoneCode(Model):
    """One code sent to one phone for one purpose (e.g. ``petition_author:12``)."""

    __tablename__ = "phone_codes"
    __table_args__ = (Index("ix_phone_codes_purpose_phone", "purpose", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The municipality it was sent for (its SMS sender and limits); none on the platform.
    tenant_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(60))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CodeRefused(DomainError):
    """The typed code does not confirm the phone; ``field`` is ``"code"``. A wrong try has
    been counted (flushed): the caller commits it even though it shows a refusal."""

    def __init__(self, message):
        super().__init__(message, field="code")


def _tenant_id() -> int | None:
    tenant = get_current_tenant()
    return tenant.id if tenant else None


def _number(phone: str) -> str:
    try:
        return normalise_phone(phone or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter a Georgian mobile number: 9 digits starting with 5, such as "
                             "555 12 34 56."), field="phone") from None


def _hash(number: str, purpose: str, code: str) -> str:
    return lookup_hash(f"{number}\x00{code}", f"phone_code:{purpose}")


def _codes(number: str, purpose: str):
    tenant_id = _tenant_id()
    scope = PhoneCode.tenant_id.is_(None) if tenant_id is None else PhoneCode.tenant_id == tenant_id
    return select(PhoneCode).where(scope, PhoneCode.phone == number, PhoneCode.purpose == purpose)


def sent_recently(phone: str, purpose: str, now: datetime | None = None) -> int:
    """How many codes went to ``phone`` for ``purpose`` in the last hour."""
    now = now or utcnow()
    statement = _codes(_number(phone), purpose).where(PhoneCode.created_at > now - timedelta(hours=1))
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _sent_for(purpose: str, now: datetime) -> int:
    tenant_id = _tenant_id()
    scope = PhoneCode.tenant_id.is_(None) if tenant_id is None else PhoneCode.tenant_id == tenant_id
    return db.session.scalar(select(func.count(PhoneCode.id)).where(
        scope, PhoneCode.purpose == purpose, PhoneCode.created_at > now - timedelta(hours=1)))


def send_code(phone: str, purpose: str, *, language: str, now: datetime | None = None) -> PhoneCode:
    """Make a new code for ``phone`` and ``purpose`` and queue the SMS in ``language``.

    Only the newest code confirms, so earlier ones stop working. Needs a municipality (its
    SMS sender). Raises DomainError (field
    ``phone``) for a number that is not a phone, or when ``MAX_PER_HOUR`` codes went to this
    phone, or ``MAX_PER_PURPOSE_HOUR`` to any phone, for this purpose within the hour.
    """
    now = now or utcnow()
    number = _number(phone)
    if sent_recently(number, purpose, now) >= MAX_PER_HOUR:
        raise DomainError(_l("We have sent this number three codes in the last hour. Use the "
                             "last one, or ask for a new code in an hour."), field="phone")
    if _sent_for(purpose, now) >= MAX_PER_PURPOSE_HOUR:
        raise DomainError(_l("Too many codes were sent in the last hour. Try again in an hour."),
                          field="phone")
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = PhoneCode(tenant_id=_tenant_id(), phone=number, purpose=purpose,
                    code_hash=_hash(number, purpose, code), attempts=0, created_at=now,
                    expires_at=now + LIFETIME)
    db.session.add(row)
    db.session.flush()
    with force_locale(language):
        text = _("Your confirmation code: %(code)s. It is valid for 10 minutes; do not give it "
                 "to anyone.", code=code)
    queue_sms(to=number, text=text, idempotency_key=f"phone-code-{row.id}", secret=code)
    return row


def confirm(phone: str, purpose: str, code: str, now: datetime | None = None) -> PhoneCode:
    """Confirm ``phone`` for ``purpose`` with the newest code sent to it.

    Returns the confirmed code's row (``confirmed_at`` set). Raises CodeRefused when no code
    was sent, the code expired, its tries are used up, or it is wrong (the try is counted).
    """
    now = now or utcnow()
    number = _number(phone)
    row = db.session.scalars(_codes(number, purpose)
                             .order_by(PhoneCode.created_at.desc(), PhoneCode.id.desc())).first()
    if row is None:
        raise CodeRefused(_l("Ask for a code first: we send it to your phone by SMS."))
    if row.confirmed_at is not None:
        return row
    if row.attempts >= MAX_ATTEMPTS:
        raise CodeRefused(_l("Too many wrong codes. Ask for a new code."))
    if _aware(row.expires_at) <= now:
        raise CodeRefused(_l("The code has expired. Ask for a new code."))
    row.attempts += 1
    typed = "".join((code or "").split())
    if not hmac.compare_digest(row.code_hash, _hash(number, purpose, typed)):
        db.session.flush()
        left = MAX_ATTEMPTS - row.attempts
        if left <= 0:
            raise CodeRefused(_l("Too many wrong codes. Ask for a new code."))
        raise CodeRefused(_l("This code is not right. Check the SMS and try again "
                             "(tries left: %(left)s).", left=left))
    row.confirmed_at = now
    db.session.flush()
    return row


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
