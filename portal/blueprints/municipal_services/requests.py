"""What an applicant does: apply online, book a time, find the request again, cancel it, move
it, send the documents staff asked for; and the messages they get.

The confirmation code is ten characters of Crockford's base-32 (``ABCDE-FGHJK``, 50 random
bits); only a keyed hash is stored. It is shown once on the page after sending and travels in
the message's link to the status page (``/services/requests/<code>``), sealed in the outbox,
so neither a dump nor the outbox page shows a working link. A signed-in citizen's "my page"
links to the same page with a signed token instead (``token``: the request's id and a random
nonce, signed with the app's key; a new nonce ends every such link). Whoever holds the code
or the token may see, cancel or move the request: the code reaches only the e-mail address or
phone the applicant gave, which is how they are confirmed to hold it.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from portal.blueprints.municipal_services import booking
from portal.blueprints.municipal_services.models import (
    RequestEvent,
    RequestFile,
    Service,
    ServiceRequest,
)
from portal.db import utcnow
from portal.extensions import db
from portal.services import uploads
from portal.services.crypto import lookup_hash
from portal.services.errors import DomainError
from portal.services.recipients import InvalidRecipient, check_email, georgian_mobile
from portal.tenancy import current_tenant

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
PURPOSE = "municipal_services.code"
_SALT = "municipal_services.request"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: Statuses in which an applicant may still cancel.
CANCELLABLE = ("submitted", "in_progress", "documents_requested", "booked")
#: Files one application may carry (the form's and later ones together).
MAX_FILES = 10
#: Per file: the form's files and the text stay under the app's request limit (16 MB).
FILE_LIMIT = 5 * 1024 * 1024


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def clean_code(typed: str) -> str | None:
    raw = re.sub(r"[\s\-]", "", (typed or "").upper()).translate(_CONFUSABLE)
    if len(raw) != CODE_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return f"{raw[:5]}-{raw[5:]}"


def code_hash(code: str) -> str:
    return lookup_hash(code, PURPOSE)


def token(request: ServiceRequest) -> str:
    """A signed link token for the owner's page ("my page")."""
    return URLSafeSerializer(current_app.secret_key, salt=_SALT).dumps(
        {"r": request.id, "t": request.tenant_id, "n": request.link_nonce})


def request_of(request_token: str) -> ServiceRequest | None:
    """This municipality's request named by a confirmation code or a signed token; else None."""
    if not request_token or len(request_token) > 200:
        return None
    code = clean_code(request_token)
    if code is not None:
        return db.session.scalar(select(ServiceRequest).where(ServiceRequest.code_hash == code_hash(code)))
    try:
        data = URLSafeSerializer(current_app.secret_key, salt=_SALT).loads(request_token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") != current_tenant.id or not isinstance(data.get("r"), int):
        return None
    found = db.session.get(ServiceRequest, data["r"])
    if found is None or not secrets.compare_digest(found.link_nonce, str(data.get("n"))):
        return None
    return found


def find(code: str, contact: str) -> ServiceRequest | None:
    """The request with ``code`` made with ``contact`` (its e-mail address or phone)."""
    found = request_of(clean_code(code) or "")
    if found is None:
        return None
    typed = (contact or "").strip().lower()
    if found.email and typed == found.email.lower():
        return found
    try:
        if found.phone and georgian_mobile(typed) == found.phone:
            return found
    except InvalidRecipient:
        pass
    return None


def _contacts(full_name: str, email: str, phone: str) -> tuple[str, str, str]:
    name = " ".join((full_name or "").split())[:200]
    if not name:
        raise DomainError(_l("Write your first and last name."), field="full_name")
    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise DomainError(_l("Give an e-mail address or a mobile phone number, or both."), field="email")
    if email:
        try:
            email = check_email(email)
        except InvalidRecipient:
            raise DomainError(_l("Enter an e-mail address."), field="email") from None
    if phone:
        try:
            phone = georgian_mobile(phone)
        except InvalidRecipient:
            raise DomainError(_l("Enter a Georgian mobile number: 5XX XXX XXX."), field="phone") from None
    return name, email, phone


def _new(service: Service, kind: str, status: str, *, full_name: str, email: str, phone: str,
         locale: str, user_id: int | None, **values) -> tuple[ServiceRequest, str]:
    name, email, phone = _contacts(full_name, email, phone)
    code = new_code()
    request = ServiceRequest(service_id=service.id, kind=kind, status=status, code_hash=code_hash(code),
                             link_nonce=secrets.token_hex(16), user_id=user_id, full_name=name,
                             email=email, phone=phone, locale=locale, **values)
    db.session.add(request)
    db.session.flush()
    db.session.add(RequestEvent(request_id=request.id, to_status=status))
    return request, code


def apply(service: Service, *, full_name: str, email: str = "", phone: str = "",
          answers: dict[str, str], files: list[tuple[int, uploads.Checked]], locale: str = "ka",
          user_id: int | None = None) -> tuple[ServiceRequest, str]:
    """An online application: the answers (checked by ``forms.answers_of``), the checked files
    stored, the code sent. Returns the request and its code; flushes. Raises DomainError."""
    if service.mode != "application" or not service.is_published:
        raise DomainError(_l("This service does not take applications online."))
    request, code = _new(service, "application", "submitted", full_name=full_name, email=email,
                         phone=phone, locale=locale, user_id=user_id, answers=answers)
    attach(request, files)
    send(request, "received", code=code)
    return request, code


def book(service: Service, *, day: date, minute: int, full_name: str, email: str = "",
         phone: str = "", locale: str = "ka", user_id: int | None = None,
         now: datetime | None = None) -> tuple[ServiceRequest, str]:
    """An appointment at ``day``/``minute`` in the department's calendar; one place taken,
    the code sent. Returns the request and its code; flushes. Raises DomainError (``slot``
    when the time is gone)."""
    now = now or utcnow()
    if service.mode != "appointment" or not service.is_published:
        raise DomainError(_l("This service is not by appointment."))
    _contacts(full_name, email, phone)  # refuse bad contacts before a place is taken
    slot = booking.take(service.department, day, minute, now)
    request, code = _new(service, "appointment", "booked", full_name=full_name, email=email,
                         phone=phone, locale=locale, user_id=user_id, slot_id=slot.id, day=day,
                         start_minute=minute)
    send(request, "booked", code=code)
    return request, code


def move(request: ServiceRequest, *, day: date, minute: int, now: datetime | None = None) -> None:
    """Move a booked appointment to another time: the new place first, then the old one given
    back. Flushes; DomainError when it is not booked or the time is gone."""
    now = now or utcnow()
    if request.kind != "appointment" or request.status != "booked":
        raise DomainError(_l("This appointment can no longer be moved."))
    if (request.day, request.start_minute) == (day, minute):
        raise DomainError(_l("This is already the time of your appointment."), field="slot")
    slot = booking.take(request.service.department, day, minute, now)
    booking.give_back(request.slot_id)
    request.slot_id, request.day, request.start_minute = slot.id, day, minute
    request.reminded_at = None
    db.session.add(RequestEvent(request_id=request.id, from_status="booked", to_status="booked",
                                text="moved"))
    db.session.flush()
    send(request, "moved")


def cancel(request: ServiceRequest) -> None:
    """The applicant cancels; an appointment's place is given back. Flushes."""
    if request.status not in CANCELLABLE:
        raise DomainError(_l("This request can no longer be cancelled."))
    if request.kind == "appointment":
        booking.give_back(request.slot_id)
        request.slot_id = None
    db.session.add(RequestEvent(request_id=request.id, from_status=request.status, to_status="cancelled"))
    request.status = "cancelled"
    db.session.flush()
    send(request, "cancelled")


def send_documents(request: ServiceRequest, files: list[uploads.Checked]) -> None:
    """The documents staff asked for; the application goes back to the operators. Flushes."""
    if request.status != "documents_requested":
        raise DomainError(_l("No documents are asked for now."))
    if not files:
        raise DomainError(_l("Choose at least one file."), field="documents")
    attach(request, [(None, f) for f in files])
    db.session.add(RequestEvent(request_id=request.id, from_status=request.status,
                                to_status="submitted", text="documents"))
    request.status = "submitted"
    db.session.flush()


def attach(request: ServiceRequest, files: list[tuple[int | None, uploads.Checked]]) -> None:
    count = len(files_of(request)) + len(files)
    if count > MAX_FILES:
        raise DomainError(_l("At most %(count)s files can be sent.", count=MAX_FILES), field="documents")
    for field_id, checked in files:
        key = uploads.store(checked, folder=f"{current_tenant.slug}/services")
        db.session.add(RequestFile(request_id=request.id, field_id=field_id, storage_path=key,
                                   name=checked.name, mimetype=checked.mimetype, size=len(checked.data)))
    db.session.flush()


def files_of(request: ServiceRequest) -> list[RequestFile]:
    return list(db.session.scalars(select(RequestFile).where(RequestFile.request_id == request.id)
                                   .order_by(RequestFile.id)))


# -- messages -------------------------------------------------------------------------------

SUBJECTS = {
    "received": _l("Your application is received"),
    "booked": _l("Your appointment is booked"),
    "moved": _l("Your appointment is moved"),
    "cancelled": _l("Your request is cancelled"),
    "reminder": _l("Reminder: your appointment tomorrow"),
    "status": _l("News of your request"),
}


def when(request: ServiceRequest) -> str:
    """The appointment's day and time in the current language."""
    from portal.blueprints.municipal_services.calendar import clock
    from portal.i18n import long_date

    if request.day is None or request.start_minute is None:
        return ""
    return f"{long_date(request.day)}, {clock(request.start_minute)}"


def send(request: ServiceRequest, what: str, *, code: str | None = None, lines: list[str] = (),
         key: str | None = None) -> None:
    """Tell the applicant, in their language, by e-mail and by SMS (whichever they gave).

    The link to the status page carries the code when there is one (the first message),
    else the signed token; either is sealed in the outbox."""
    from portal.i18n import localized
    from portal.services.outbox import queue_email, queue_sms
    from portal.tenancy.links import message_url

    link_token = code or token(request)
    url = message_url("municipal_services.status", request_token=link_token)
    with force_locale(request.locale):
        title = str(SUBJECTS[what])
        service = str(localized(request.service.text("title")))
        body = [_("Service: %(service)s", service=service)]
        if request.kind == "appointment" and request.day is not None and what != "cancelled":
            body.append(_("Time: %(when)s", when=when(request)))
            place = str(localized(request.service.department.text("place")))
            if place:
                body.append(_("Place: %(place)s", place=place))
        if code:
            body.append(_("Your confirmation code: %(code)s", code=code))
        body.extend(lines)
        key = key or f"municipal_services.{what}:{request.id}:{secrets.token_hex(8)}"
        if request.email:
            queue_email(to=request.email, template="notice", locale=request.locale, secret=link_token,
                        idempotency_key=f"{key}:email",
                        context={"title": title, "lines": body, "action_url": url,
                                 "action_label": _("Open your request")})
        if request.phone and current_tenant.config.sms is not None:
            text = " ".join([title + ".", *body[1:], url])
            queue_sms(to=request.phone, text=text, idempotency_key=f"{key}:sms",
                      transliterate=True, secret=link_token)
