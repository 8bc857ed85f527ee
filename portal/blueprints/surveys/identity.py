"""Who answers: the key that makes one answer per browser, address or phone.

- ``anyone``: a random nonce in a signed, HttpOnly cookie (``survey_browser``, two years),
  made on the first visit to an answer page; clearing it allows another answer, which the
  per-address rate limit keeps small.
- ``email``: a signed link (3 days, sealed in the outbox) whose page confirms with a POST
  (a mail scanner's GET changes nothing).
- ``sms``: a code from ``services/phone_codes`` (purpose ``surveys.answer:<survey>:<browser>``,
  so one browser cannot make the portal text strangers without limit).

A confirmed address or phone is kept in the visitor's session for that survey only; what is
stored with a response is a keyed hash of it (``answering.respondent_hash``), and the
address or phone itself only when the survey says so.
"""

from __future__ import annotations

import secrets

from flask import after_this_request, current_app, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from portal.blueprints.surveys.models import Survey
from portal.services import phone_codes
from portal.services.errors import DomainError
from portal.services.outbox import queue_email
from portal.services.recipients import InvalidRecipient, check_email, normalise_phone
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

COOKIE = "survey_browser"
COOKIE_AGE = 2 * 365 * 24 * 3600
LINK_AGE = 3 * 24 * 3600
SESSION_KEY = "surveys.who"


def _cookie_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="surveys.browser")


def browser_nonce(create: bool = True) -> str | None:
    """This browser's nonce (from the signed cookie); a new one (set on the response) when it
    has none and ``create``."""
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            return _cookie_signer().loads(raw)
        except BadSignature:
            pass
    if not create:
        return None
    if "surveys.nonce" in request.environ:
        return request.environ["surveys.nonce"]
    nonce = secrets.token_urlsafe(18)
    request.environ["surveys.nonce"] = nonce

    @after_this_request
    def _set(response):
        response.set_cookie(COOKIE, _cookie_signer().dumps(nonce), max_age=COOKIE_AGE,
                            httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                            path="/")
        return response

    return nonce


def respondent(survey: Survey) -> tuple[str, str | None] | None:
    """(the respondent's key, the contact to keep or None), or None while the survey's kind
    of confirmation is still missing."""
    if survey.access == "anyone":
        return f"browser:{browser_nonce()}", None
    who = (session.get(SESSION_KEY) or {}).get(str(survey.id))
    if not who:
        return None
    return who["key"], who.get("contact")


def _remember(survey: Survey, key: str, contact: str) -> None:
    confirmed = dict(session.get(SESSION_KEY) or {})
    confirmed[str(survey.id)] = {"key": key, "contact": contact}
    session[SESSION_KEY] = confirmed


def forget(survey: Survey) -> None:
    confirmed = dict(session.get(SESSION_KEY) or {})
    if confirmed.pop(str(survey.id), None) is not None:
        session[SESSION_KEY] = confirmed


def email_key(email: str) -> str:
    return f"email:{email.strip().lower()}"


def phone_key(phone: str) -> str:
    """The key of a phone however it was typed ("555 12 34 56", "+995…"): the number as
    confirmed, so a phone that has answered is known before another code is sent."""
    try:
        phone = normalise_phone(phone or "")
    except InvalidRecipient:
        pass
    return f"phone:{phone}"


def _link_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="surveys.email")


def send_link(survey: Survey, email: str, *, language: str) -> None:
    """E-mail the confirmation link for ``survey`` to ``email``; flushes. Raises DomainError
    (field ``email``) for an unusable address."""
    try:
        address = check_email(email or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter an e-mail address."), field="email") from None
    token = _link_signer().dumps({"s": survey.id, "t": current_tenant.id, "e": address})
    with force_locale(language):
        queue_email(
            to=address, template="notice", locale=language, secret=token,
            idempotency_key=f"surveys.link:{survey.id}:{secrets.token_hex(8)}",
            context={"title": _("Confirm your answer to a survey"),
                     "lines": [_("You asked to answer the survey “%(title)s”.",
                                 title=survey.title_en if language == "en" and survey.title_en
                                 else survey.title),
                               _("Open the link below within three days to answer. If you did "
                                 "not ask for it, ignore this message.")],
                     "action_url": message_url("surveys.confirm_email", survey_id=survey.id,
                                               link_token=token),
                     "action_label": _("Answer the survey")})


def read_link(survey: Survey, token: str) -> str | None:
    """The address a link confirms for ``survey`` of this municipality, or None."""
    try:
        data = _link_signer().loads(token, max_age=LINK_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or data.get("s") != survey.id or data.get("t") != current_tenant.id:
        return None
    return data.get("e")


def confirm_email(survey: Survey, token: str) -> str:
    address = read_link(survey, token)
    if address is None:
        raise DomainError(_l("This link is not valid or has expired. Ask for a new one on the "
                             "survey's page."))
    _remember(survey, email_key(address), address)
    return address


def _purpose(survey: Survey) -> str:
    return f"surveys.answer:{survey.id}:{(browser_nonce() or '')[:16]}"


def send_code(survey: Survey, phone: str, *, language: str) -> str:
    """Text a code to ``phone``; returns the number as stored. DomainError (field ``phone``)."""
    try:
        number = normalise_phone(phone or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter a Georgian mobile number: 9 digits starting with 5, such as "
                             "555 12 34 56."), field="phone") from None
    phone_codes.send_code(number, _purpose(survey), language=language)
    session["surveys.phone"] = {str(survey.id): number}
    return number


def pending_phone(survey: Survey) -> str | None:
    return (session.get("surveys.phone") or {}).get(str(survey.id))


def confirm_code(survey: Survey, code: str) -> str:
    """Confirm the phone the code went to; raises ``phone_codes.CodeRefused`` (commit anyway:
    the try counts) or DomainError when no code was asked for."""
    number = pending_phone(survey)
    if not number:
        raise DomainError(_l("Ask for a code first: we send it to your phone by SMS."), field="code")
    phone_codes.confirm(number, _purpose(survey), code)
    _remember(survey, phone_key(number), number)
    return number
