"""The way into satisfaction for other features (listed in tests/test_imports.py).

A feature calls ``invite(kind, subject_id, department, email=..., phone=..., locale=...)`` when
it has finished something for a citizen: a letter answered (letters, with its "useful answer?"
question, see ``register_question``), a petition decided (petitions), a service application
or appointment completed (municipal_services: ``invite("service", application_id,
department, ...)``). Nothing is sent there: the invitation is recorded in the caller's
transaction and the job ``send_satisfaction_invitations`` (or ``send_pending`` from a job of
the caller's) queues it through the outbox, by e-mail, or by SMS when only a phone was given.

The rules: one invitation per (kind, subject), ever (a unique key; a second ``invite`` is a
no-op); a person (the keyed hash of their contact) is invited at most once in ``LIMIT_DAYS``;
the link works ``VALID_DAYS`` and answers once; nothing is recorded where the municipality has
satisfaction switched off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.satisfaction.models import Invitation
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import localized_plain
from portal.services.crypto import lookup_hash
from portal.services.recipients import InvalidRecipient, check_email, normalise_phone
from portal.tenancy import current_tenant

#: What a citizen may be asked about, with the label staff and the public summary show.
KINDS: dict[str, object] = {
    "letter": _l("Letters to the mayor and the Sakrebulo chair"),
    "petition": _l("Petitions"),
    "service": _l("Municipal services"),
}
#: A person is invited at most once in this many days.
LIMIT_DAYS = 30
#: A link works this many days after it is sent.
VALID_DAYS = 60
#: Most invitations sent in one run (the next run takes the rest).
BATCH = 200


@dataclass(frozen=True)
class Question:
    """A feature's own question asked on the same page as the rating (letters: "did you get a
    useful answer?"), so the citizen gets one message about one thing. ``save(subject_id,
    value)`` stores the answer in the feature (returns False when it had one already)."""

    label: object
    choices: tuple[tuple[str, object], ...]
    save: Callable[[int, str], bool]


QUESTIONS: dict[str, Question] = {}


def register_question(kind: str, question: Question) -> None:
    """Ask ``question`` beside the rating on every invitation of ``kind`` (at registration)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    QUESTIONS[kind] = question


def contact_hash(email: str | None, phone: str | None) -> str:
    """The keyed hash that recognises a person across invitations (e-mail first)."""
    if email:
        return lookup_hash(email.strip().lower(), "satisfaction.contact")
    return lookup_hash(normalise_phone(phone or ""), "satisfaction.contact")


def invite(kind: str, subject_id: int, department: str = "", *, email: str | None = None,
           phone: str | None = None, locale: str | None = None) -> bool:
    """Record that the citizen is to be asked about ``subject_id`` of ``kind``; flushes.

    True when an invitation is recorded (now or before); False when there is no usable contact
    or the municipality has satisfaction off (the caller may then ask its own way). Raises
    ValueError for an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not current_tenant.has_feature("satisfaction"):
        return False
    existing = db.session.scalar(select(Invitation.id).where(
        Invitation.kind == kind, Invitation.subject_id == subject_id))
    if existing is not None:
        return True
    email, phone = _usable_email(email), _usable_phone(phone)
    if not email and not phone:
        return False
    locale = locale if locale in current_tenant.config.locales else current_tenant.config.default_locale
    db.session.add(Invitation(
        kind=kind, subject_id=subject_id, department=(department or "")[:200],
        channel="email" if email else "sms", email=email or "", phone=phone or "",
        contact_hash=contact_hash(email, phone), locale=locale))
    db.session.flush()
    return True


def _usable_email(email: str | None) -> str | None:
    try:
        return check_email(email) if email and email.strip() else None
    except InvalidRecipient:
        return None


def _usable_phone(phone: str | None) -> str | None:
    try:
        return normalise_phone(phone) if phone and phone.strip() else None
    except InvalidRecipient:
        return None


def send_pending(now: datetime | None = None) -> int:
    """Queue the message of each pending invitation of the current municipality (at most
    ``BATCH``), or mark it "limited" when its person was invited in the last ``LIMIT_DAYS``;
    blanks the contact either way; flushes. Returns how many were sent."""
    now = now or utcnow()
    pending = list(db.session.scalars(
        select(Invitation).where(Invitation.status == "pending").order_by(Invitation.id).limit(BATCH)))
    since = now - timedelta(days=LIMIT_DAYS)
    recent = set(db.session.scalars(select(Invitation.contact_hash).where(
        Invitation.status == "sent", Invitation.sent_at >= since,
        Invitation.contact_hash.in_({i.contact_hash for i in pending}))))
    sent = 0
    for invitation in pending:
        if invitation.contact_hash in recent:
            invitation.status = "limited"
        else:
            _send(invitation, now)
            recent.add(invitation.contact_hash)
            sent += 1
        invitation.email = invitation.phone = ""
    db.session.flush()
    return sent


def _send(invitation: Invitation, now: datetime) -> None:
    from portal.blueprints.satisfaction.links import answer_url, token
    from portal.services.outbox import queue_email, queue_sms

    invitation.status, invitation.sent_at = "sent", now
    invitation.expires_at = now + timedelta(days=VALID_DAYS)
    db.session.flush()
    link = token(invitation)
    url = answer_url(link)
    key = f"satisfaction:{invitation.id}"
    with force_locale(invitation.locale):
        what = _what(invitation.kind)
        if invitation.channel == "email":
            queue_email(
                to=invitation.email, template="notice", locale=invitation.locale, secret=link,
                idempotency_key=key,
                context={"title": _("How did we do?"),
                         "lines": [_("We recently finished %(what)s for you. Please rate it from 1 "
                                     "(very poor) to 5 (very good); a comment is welcome. It takes "
                                     "a minute, needs no sign-in, and your answer is counted "
                                     "without your name.", what=what),
                                   _("The link works for %(days)s days and takes one answer.",
                                     days=VALID_DAYS)],
                         "action_url": url, "action_label": _("Rate it")})
        else:
            queue_sms(to=invitation.phone, idempotency_key=key, secret=link,
                      text=_("%(name)s: please rate %(what)s from 1 to 5: %(url)s",
                             name=localized_plain(current_tenant.config.short_name), what=what, url=url))


def _what(kind: str) -> str:
    return {"letter": _("the answer to your letter"), "petition": _("the handling of your petition"),
            "service": _("your municipal service")}.get(kind, _("a service"))


def service_completed(done) -> None:
    """municipal_services' ``events.on_completed`` callback: invite the applicant about the
    request (an appointment completed, an application decided), by the channel they used.
    Never raises for a bad contact (the operator's action must stand)."""
    names = done.department_name if isinstance(done.department_name, dict) else {}
    invite("service", done.request_id, names.get("ka") or names.get("en") or "",
           email=done.email or None, phone=done.phone or None, locale=done.locale)
