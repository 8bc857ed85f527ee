"""Signing a petition: an unconfirmed signature and a confirmation e-mail; ``confirm`` counts it.

The confirmation link carries a signed token that expires (``CONFIRM_WITHIN``); the page it
opens confirms with a POST, so a mail scanner fetching the link changes nothing. Confirming
twice changes nothing the second time. The counting job (``counting.py``) adds confirmed
signatures to the public count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer

from portal.blueprints.petitions import guard, personal_numbers
from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.lifecycle import is_collecting
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError
from portal.services.outbox import queue_email
from portal.services.recipients import InvalidRecipient, check_email, georgian_mobile
from portal.tenancy import current_tenant

#: How long a confirmation link works.
CONFIRM_WITHIN = timedelta(days=7)
#: The page the confirmation link opens (its button POSTs the token back).
CONFIRM_ENDPOINT = "petitions.confirm_signature"
_SALT = "petitions.signature.confirm"
#: The ``lookup_hash`` purpose of signers' network addresses.
ADDRESS_PURPOSE = "petitions.signer_address"

DUPLICATE = _l("This personal number has already signed this petition; each person signs once.")
NOT_COLLECTING = _l("This petition is not collecting signatures.")
BAD_LINK = _l("This confirmation link is not valid. It may have expired: sign again to get a "
              "new one.")


def sign(petition: Petition, *, full_name: str, personal_number: str, email: str,
         consent: bool, phone: str = "", unit: str = "", wants_outcome: bool = False,
         locale: str = "ka", confirm_url: Callable[[str], str] | None = None,
         now: datetime | None = None, network_address: str = "",
         settings: dict | None = None) -> Signature:
    """Add an unconfirmed signature and queue its confirmation e-mail; flushes.

    The municipality's abuse controls apply first (``guard``: signing paused, e-mail lists).

    ``confirm_url(token)`` builds the link (default: ``CONFIRM_ENDPOINT`` of the current
    municipality). ``network_address`` (the request's) is kept only as a keyed hash, for the
    moderators' bursts. ``settings`` are the municipality's petition settings when the
    caller read them with the petition (``queries.petition_to_sign``). Raises DomainError
    (with the field it concerns) when the petition is not collecting, consent is missing, a
    field is invalid, or the personal number already signed.
    """
    now = now or utcnow()
    if not is_collecting(petition, now):
        raise DomainError(NOT_COLLECTING)
    guard.check_signer(email, settings)
    signature = _new_signature(
        petition, full_name=full_name, personal_number=personal_number, email=email,
        consent=consent, phone=phone, unit=unit, wants_outcome=wants_outcome, now=now,
        locale=locale,
        address_hash=lookup_hash(network_address, ADDRESS_PURPOSE) if network_address else None)
    token = confirmation_token(signature, now=now)
    link = (confirm_url or _default_url)(token)
    with force_locale(locale):
        queue_email(
            to=signature.email, template="notice", locale=locale, secret=token,
            idempotency_key=f"petitions.confirm:{signature.id}", new_key=True,  # just inserted
            context={"title": _("Confirm your signature"),
                     "lines": [_("You signed the petition “%(title)s”. Your signature counts once "
                                 "you confirm it: open the link below within 7 days and press "
                                 "the button.", title=petition.title),
                               _("If you did not sign, ignore this message.")],
                     "action_url": link, "action_label": _("Confirm my signature")},
        )
    return signature


def add_paper_signature(petition: Petition, *, full_name: str, personal_number: str,
                        unit: str = "", now: datetime | None = None) -> Signature:
    """The clerk's entry of one signature from a paper sheet: confirmed at once, marked paper.

    Raises DomainError for an invalid or repeated personal number."""
    now = now or utcnow()
    if petition.status != "collecting":
        raise DomainError(NOT_COLLECTING)
    return _new_signature(petition, full_name=full_name, personal_number=personal_number,
                          email="", consent=True, unit=unit, now=now, paper=True)


def confirm(token: str, *, now: datetime | None = None) -> Signature:
    """Confirm the signature behind ``token``; a second confirmation changes nothing.

    Raises DomainError for a bad, expired or foreign token, an anonymised signature, or a
    petition that stopped collecting before the signature was confirmed."""
    now = now or utcnow()
    data = _read_token(token)
    if data is None or data.get("t") != current_tenant.id or data.get("e", 0) < now.timestamp():
        raise DomainError(BAD_LINK)
    signature = db.session.get(Signature, data.get("s"))
    if signature is None or signature.anonymised_at is not None:
        raise DomainError(BAD_LINK)
    if signature.confirmed_at is not None:
        return signature
    petition = db.session.get(Petition, signature.petition_id)
    if not is_collecting(petition, now):
        raise DomainError(NOT_COLLECTING)
    signature.confirmed_at = now
    db.session.flush()
    return signature


def peek(token: str, *, now: datetime | None = None) -> Signature | None:
    """The signature ``token`` names, if the token is good (this municipality's, unexpired,
    not anonymised); reads only: the confirmation page shows it before its button is pressed."""
    found = open_link(token, now=now)
    return found[0] if found is not None else None


def open_link(token: str, *, now: datetime | None = None) -> tuple[Signature, Petition] | None:
    """``peek``, with the signature's petition, in one statement; both stay in the session,
    so ``confirm`` finds them without another query."""
    now = now or utcnow()
    data = _read_token(token)
    if data is None or data.get("t") != current_tenant.id or data.get("e", 0) < now.timestamp():
        return None
    found = db.session.execute(
        select(Signature, Petition).join(Petition, Petition.id == Signature.petition_id)
        .where(Signature.id == data.get("s"))
        .options(defer(Signature.personal_number))).first()  # not needed: no decryption
    if found is None or found[0].anonymised_at is not None:
        return None
    return found[0], found[1]


def confirmation_token(signature: Signature, *, now: datetime | None = None) -> str:
    """A signed token naming the signature and its municipality, valid CONFIRM_WITHIN."""
    expires = (now or utcnow()) + CONFIRM_WITHIN
    return _serializer().dumps({"s": signature.id, "t": signature.tenant_id,
                                "e": int(expires.timestamp())})


def _read_token(token: str) -> dict | None:
    if not token or len(token) > 300:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def _default_url(token: str) -> str:
    from portal.tenancy.links import message_url

    return message_url(CONFIRM_ENDPOINT, signature_token=token)


def _new_signature(petition: Petition, *, full_name: str, personal_number: str, email: str,
                   consent: bool, now: datetime, phone: str = "", unit: str = "",
                   wants_outcome: bool = False, paper: bool = False,
                   address_hash: str | None = None, locale: str | None = None) -> Signature:
    name = " ".join((full_name or "").split())
    if not name:
        raise DomainError(_l("Write your first and last name."), field="full_name")
    if len(name) > 200:
        raise DomainError(_l("The name is too long."), field="full_name")
    if not consent:
        raise DomainError(_l("Signing needs your consent to the processing of your data."),
                          field="consent")
    number = personal_numbers.clean(personal_number)
    fingerprint = personal_numbers.fingerprint(number)
    try:
        address = "" if paper else check_email(email or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter an e-mail address."), field="email") from None
    try:
        phone = georgian_mobile(phone) if phone and phone.strip() else ""
    except InvalidRecipient:
        raise DomainError(_l("Enter a Georgian mobile number: 9 digits starting with 5, such as "
                             "555 12 34 56."), field="phone") from None
    signature = _insert_once(
        petition_id=petition.id, full_name=name, personal_number_hash=fingerprint,
        personal_number=number, email=address, email_normalised=normalise_email(address),
        phone=phone, unit=(unit or "").strip()[:100], is_paper=paper, has_consent=True,
        wants_outcome=wants_outcome, created_at=now, address_hash=address_hash,
        confirmed_at=now if paper else None, locale=locale)
    if signature is None:
        raise DomainError(DUPLICATE, field="personal_number")
    return signature


def _insert_once(**values) -> Signature | None:
    """Insert the signature unless its personal number already signed the petition (the
    unique constraint decides, also between two requests at once); None if it did.

    One statement (``INSERT … ON CONFLICT DO NOTHING RETURNING``) instead of a look-up, a
    savepoint, the insert and its release: the transaction stays usable either way, and the
    database logs no error for a repeat."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    statement = (insert(Signature).values(tenant_id=current_tenant.id, **values)
                 .on_conflict_do_nothing().returning(Signature))
    return db.session.scalars(statement).first()
