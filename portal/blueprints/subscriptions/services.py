"""Subscribing, confirming, changing topics and leaving; the purge of unconfirmed contacts.

``subscribe_email`` keeps an unconfirmed subscriber and e-mails a confirmation link (the page
it opens confirms with a POST, so a mail scanner changes nothing). Asking again for an
address already confirmed changes nothing but sends its manage link, so nobody can change
another person's topics by typing their address. Leaving deletes the contact and its topics.
Everything flushes, never commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal.blueprints.subscriptions import tokens
from portal.blueprints.subscriptions.models import FREQUENCIES, Subscriber, Subscription
from portal.blueprints.subscriptions.topics import get_topic
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import LOCALES
from portal.services.errors import DomainError
from portal.services.outbox import queue_email
from portal.services.recipients import InvalidRecipient, check_email
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

#: Unconfirmed contacts are deleted this long after they were left.
PURGE_AFTER = tokens.CONFIRM_WITHIN + timedelta(days=1)

NO_TOPICS = _l("Choose at least one topic.")
BAD_EMAIL = _l("Enter an e-mail address, such as nino@example.ge.")
UNKNOWN_TOPIC = _l("This topic is not available.")

#: A chosen topic: (key, object id; 0 for a topic about no one thing).
Choice = tuple[str, int]


def check_choices(choices: list[Choice]) -> list[Choice]:
    """The choices without repeats; DomainError for none, an unknown topic or thing."""
    from portal.blueprints.subscriptions.topics import available_topics

    allowed = {t.key for t in available_topics()}
    clean: list[Choice] = []
    for key, object_id in choices:
        topic = get_topic(key)
        if topic is None or key not in allowed:
            raise DomainError(UNKNOWN_TOPIC, field="topics")
        if topic.object_label is None:
            object_id = 0
        elif not object_id or topic.object_label(object_id) is None:
            raise DomainError(UNKNOWN_TOPIC, field="topics")
        if (key, object_id) not in clean:
            clean.append((key, object_id))
    if not clean:
        raise DomainError(NO_TOPICS, field="topics")
    for key in {key for key, _object_id in clean}:
        topic = get_topic(key)
        if topic.most is not None and sum(k == key for k, _o in clean) > topic.most:
            raise DomainError(LazyString(lambda topic=topic: _(
                "One address may follow at most %(n)d of “%(topic)s”: remove one to add "
                "another.", n=topic.most, topic=topic.label)), field="topics")
    return clean


def subscribe_email(address: str, choices: list[Choice], *, locale: str = "ka",
                    frequency: str = "immediate", now: datetime | None = None) -> Subscriber:
    """Keep an unconfirmed subscriber of ``address`` to ``choices`` and e-mail the link to
    confirm (a confirmed one only gets its manage link). Raises DomainError."""
    try:
        address = check_email(address or "").lower()
    except InvalidRecipient:
        raise DomainError(BAD_EMAIL, field="email") from None
    choices = check_choices(choices)
    locale = locale if locale in LOCALES else current_tenant.config.default_locale
    subscriber = db.session.scalar(select(Subscriber).where(
        Subscriber.channel == "email", Subscriber.address == address))
    if subscriber is not None and subscriber.confirmed_at is not None:
        _send_manage_link(subscriber, locale, [c for c in choices if c[1]])
        return subscriber
    if subscriber is None:
        subscriber = Subscriber(channel="email", address=address, created_at=now or utcnow())
        db.session.add(subscriber)
    subscriber.locale = locale
    subscriber.frequency = frequency if frequency in FREQUENCIES else "immediate"
    subscriber.link_nonce = secrets.token_hex(8)  # a new request ends the older link
    db.session.flush()
    set_topics(subscriber, choices)
    _send_confirmation(subscriber)
    return subscriber


NO_SMS = _l("This municipality does not send SMS.")
NOT_BY_SMS = _l("This topic is not sent by SMS.")


def check_sms_choices(choices: list[Choice]) -> list[Choice]:
    """``check_choices`` for the SMS channel: only topics that may go by SMS."""
    choices = check_choices(choices)
    if any(not get_topic(key).sms for key, _object_id in choices):
        raise DomainError(NOT_BY_SMS, field="topics")
    return choices


def subscribe_phone(phone: str, choices: list[Choice], *, locale: str = "ka",
                    now: datetime | None = None) -> Subscriber:
    """Keep an unconfirmed SMS subscriber of ``phone`` to ``choices`` and send a code by SMS
    (``services/phone_codes.py``). A number already confirmed keeps its topics: once the code
    is typed back, its manage page changes them. Raises DomainError."""
    from portal.services.recipients import georgian_mobile

    if current_tenant.config.sms is None:
        raise DomainError(NO_SMS)
    try:
        number = georgian_mobile(phone or "").lstrip("+")
    except InvalidRecipient:
        raise DomainError(_l("Enter a Georgian mobile number: 9 digits starting with 5, such as "
                             "555 12 34 56."), field="phone") from None
    choices = check_sms_choices(choices)
    locale = locale if locale in LOCALES else current_tenant.config.default_locale
    subscriber = db.session.scalar(select(Subscriber).where(
        Subscriber.channel == "sms", Subscriber.address == number))
    if subscriber is None:
        subscriber = Subscriber(channel="sms", address=number, created_at=now or utcnow(),
                                link_nonce=secrets.token_hex(8))
        db.session.add(subscriber)
    subscriber.locale = locale
    db.session.flush()
    if subscriber.confirmed_at is None:
        set_topics(subscriber, choices)
    send_phone_code(subscriber)
    return subscriber


def phone_purpose(subscriber: Subscriber) -> str:
    return f"subscriptions.sms:{subscriber.id}"


def send_phone_code(subscriber: Subscriber) -> None:
    """A new code to the subscriber's phone (at most three an hour). Raises DomainError."""
    from portal.services import phone_codes

    phone_codes.send_code(subscriber.address, phone_purpose(subscriber), language=subscriber.locale)


def confirm_phone(subscriber: Subscriber, code: str, *, now: datetime | None = None) -> bool:
    """Confirm an SMS subscriber with the code it was sent; False when it was confirmed
    before. Raises ``phone_codes.CodeRefused`` (the try counted: commit it)."""
    from portal.services import phone_codes

    phone_codes.confirm(subscriber.address, phone_purpose(subscriber), code, now=now)
    return confirm(subscriber, now=now)


def _send_confirmation(subscriber: Subscriber) -> None:
    token = tokens.confirmation_token(subscriber)
    with force_locale(subscriber.locale):
        queue_email(
            to=subscriber.address, template="notice", locale=subscriber.locale, secret=token,
            idempotency_key=f"subscriptions.confirm:{subscriber.id}:{subscriber.link_nonce}",
            context={"title": _("Confirm your subscription"),
                     "lines": [_("Someone, probably you, asked to receive news of %(name)s at "
                                 "this address. Open the link below within 3 days and press the "
                                 "button to confirm.",
                                 name=_local_name()),
                               _("If it was not you, ignore this message: nothing will be "
                                 "sent and the address will be deleted.")],
                     "action_url": message_url("subscriptions.confirm",
                                               subscription_token=token),
                     "action_label": _("Confirm my subscription")})


def _send_manage_link(subscriber: Subscriber, locale: str, things: list[Choice] = ()) -> None:
    """The manage link; ``things`` (topics about one thing asked for) come chosen on it."""
    asked = [f"{key}:{object_id}" for key, object_id in things]
    url = manage_url(subscriber)
    if asked:
        url += "?" + urlencode([("topic", value) for value in asked])
    with force_locale(locale):
        queue_email(
            to=subscriber.address, template="notice", locale=locale,
            idempotency_key=f"subscriptions.manage:{subscriber.id}:{utcnow():%Y%m%d%H}"
                            f"{':' + ','.join(asked) if asked else ''}"[:120],
            subscription_token=tokens.manage_token(subscriber),
            context={"title": _("You are already subscribed"),
                     "lines": [_("This address already receives news of %(name)s. Use the link "
                                 "below to change your topics or to leave.", name=_local_name())],
                     "action_url": url,
                     "action_label": _("Manage my subscription")})


def _local_name() -> str:
    from portal.i18n import localized_plain

    return localized_plain(current_tenant.config.name)


def manage_url(subscriber: Subscriber) -> str:
    return message_url("subscriptions.manage", subscriber_token=tokens.manage_token(subscriber))


def confirm(subscriber: Subscriber, *, now: datetime | None = None) -> bool:
    """Confirm ``subscriber``; False (and no change) when it was confirmed before."""
    if subscriber.confirmed_at is not None:
        return False
    subscriber.confirmed_at = now or utcnow()
    db.session.flush()
    return True


def topics_of(subscriber: Subscriber) -> list[Choice]:
    return [(key, object_id) for key, object_id in db.session.execute(
        select(Subscription.topic, Subscription.object_id)
        .where(Subscription.subscriber_id == subscriber.id).order_by(Subscription.id))]


def set_topics(subscriber: Subscriber, choices: list[Choice]) -> None:
    """Make ``subscriber``'s topics exactly ``choices`` (checked by ``check_choices``)."""
    wanted = set(choices)
    have = set(topics_of(subscriber))
    for key, object_id in have - wanted:
        db.session.execute(delete(Subscription).where(
            Subscription.subscriber_id == subscriber.id, Subscription.topic == key,
            Subscription.object_id == object_id))
    for key, object_id in choices:
        if (key, object_id) not in have:
            db.session.add(Subscription(subscriber_id=subscriber.id, topic=key,
                                        object_id=object_id))
    db.session.flush()


def set_frequency(subscriber: Subscriber, frequency: str) -> None:
    if frequency not in FREQUENCIES or subscriber.channel != "email":
        raise DomainError(_l("Choose how often."), field="frequency")
    subscriber.frequency = frequency
    db.session.flush()


def leave(subscriber: Subscriber) -> None:
    """Delete the contact and every topic of it (personal data kept no longer)."""
    db.session.execute(delete(Subscription).where(Subscription.subscriber_id == subscriber.id))
    db.session.delete(subscriber)
    db.session.flush()


def unsubscribe_by_token(token: str) -> bool:
    """The one-click unsubscribe handler (``services/unsubscribe.py``): leave entirely."""
    subscriber = tokens.from_manage_token(token)
    if subscriber is None:
        return False
    leave(subscriber)
    return True


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete the current municipality's contacts left unconfirmed past PURGE_AFTER."""
    cutoff = (now or utcnow()) - PURGE_AFTER
    stale = select(Subscriber.id).where(Subscriber.confirmed_at.is_(None),
                                        Subscriber.created_at < cutoff)
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(Subscription).where(Subscription.subscriber_id.in_(ids)))
        db.session.execute(delete(Subscriber).where(Subscriber.id.in_(ids)))
    return len(ids)


def subscriptions_of_email(address: str) -> list[Subscriber]:
    """The confirmed subscribers of ``address`` here (a signed-in citizen's My page)."""
    return list(db.session.scalars(select(Subscriber).where(
        Subscriber.channel == "email", Subscriber.address == (address or "").lower(),
        Subscriber.confirmed_at.is_not(None))))
