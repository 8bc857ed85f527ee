"""Replies by SMS: a person texts STOP to the municipality's number and their SMS
subscriptions end (where the provider takes replies: ``[sms] stop_number`` in tenant.toml and
the webhook's secret ``SMS_INBOUND_SECRET_<SLUG>``).

The provider delivers each inbound message to ``reply_views.inbound`` (signed with the
municipality's secret, ``services/sms``); ``handle_reply`` keeps its id once (a repeated or
replayed delivery does nothing), ends every SMS subscription of that number here on a stop
word, sends one confirmation SMS, and puts it on record. Any other text is ignored. Every SMS
of a subscription ends with ``stop_hint``: how to stop, in a few characters.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.subscriptions import services
from portal.blueprints.subscriptions.models import SmsReply, Subscriber, Subscription
from portal.db import utcnow
from portal.extensions import db
from portal.services.sms import InboundSms
from portal.tenancy import current_tenant

log = logging.getLogger("portal.subscriptions")

#: What counts as "stop", once lower-cased (Mtavruli folds too) and stripped of punctuation:
#: the usual English keywords, Georgian, Georgian typed in Latin letters, and Russian.
STOP_WORDS = frozenset({
    "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "stopi",
    "სტოპ", "სტოპი", "შეწყვეტა", "გაუქმება", "გამოწერის გაუქმება", "стоп",
})
#: Replies' ids are kept this long: far past the signature's window of minutes.
KEEP = timedelta(days=30)
_NOT_LETTERS = re.compile(r"[^\w\s]|[\d_]")


def is_stop(text: str) -> bool:
    """Whether ``text`` is a request to stop ("STOP", "stop.", "სტოპ", " Stop! ")."""
    words = " ".join(_NOT_LETTERS.sub(" ", (text or "")[:100].lower()).split())
    return words in STOP_WORDS


def stop_hint() -> str:
    """How to stop, for the end of an SMS in the current language ("" where the provider
    takes no replies): short, so a message stays within its segments."""
    sms = current_tenant.config.sms
    number = sms.stop_number if sms is not None else None
    return _("Stop: STOP to %(number)s", number=number) if number else ""


def handle_reply(inbound: InboundSms) -> str:
    """Act on one inbound SMS of the current municipality: "stop" (its subscriptions ended),
    "ignored" (not a stop word, or a number with nothing to end) or "duplicate" (this id
    was handled before). Flushes, never commits."""
    stop = is_stop(inbound.text)
    reply = SmsReply(provider_message_id=inbound.provider_message_id,
                     action="stop" if stop else "ignored")
    try:
        with db.session.begin_nested():
            if db.session.scalar(select(SmsReply.id).where(
                    SmsReply.provider_message_id == inbound.provider_message_id)) is not None:
                return "duplicate"
            db.session.add(reply)
            db.session.flush()
    except IntegrityError:  # the same message delivered twice at once: the other one acts
        return "duplicate"
    if not stop:
        log.info("inbound SMS %s ignored: not a stop word", inbound.provider_message_id)
        return "ignored"
    ended = _end_sms_subscriptions(inbound.sender)
    if ended is None:
        reply.action = "ignored"
        log.info("inbound SMS %s: STOP from a number with no SMS subscription here",
                 inbound.provider_message_id)
        return "ignored"
    subscriber_ids, topics, locale = ended
    _confirm(inbound.sender, locale, reply)
    from portal.delivery.operations import masked
    from portal.services import audit

    audit.record("subscriptions.sms_stop", target=f"sms_reply:{reply.id}",
                 after={"phone": masked(inbound.sender), "subscribers": subscriber_ids,
                        "topics": topics})
    log.info("inbound SMS %s: STOP, %s topics ended", inbound.provider_message_id, topics)
    return "stop"


def _end_sms_subscriptions(number: str) -> tuple[list[int], int, str] | None:
    """Leave every SMS subscriber of ``number`` here (stored with or without the +):
    (their ids, topics ended, the language to answer in), or None if there was none."""
    found = list(db.session.scalars(select(Subscriber).where(
        Subscriber.channel == "sms", Subscriber.address.in_((number, f"+{number}")))
        .order_by(Subscriber.id)))
    if not found:
        return None
    ids = [s.id for s in found]
    topics = len(list(db.session.scalars(select(Subscription.id).where(
        Subscription.subscriber_id.in_(ids)))))
    locale = found[0].locale
    for subscriber in found:
        services.leave(subscriber)
    return ids, topics, locale


def _confirm(number: str, locale: str, reply: SmsReply) -> None:
    from portal.i18n import localized_plain
    from portal.services.outbox import queue_sms

    with force_locale(locale):
        text = _("%(name)s: you will get no more SMS. Subscribe again on the portal.",
                 name=localized_plain(current_tenant.config.short_name))
    queue_sms(to=number, text=text, idempotency_key=f"subscriptions.stop:{reply.id}",
              transliterate=True)


def purge_replies(now: datetime | None = None) -> int:
    """Forget the ids of replies older than KEEP (a replay that old fails its signature)."""
    cutoff = (now or utcnow()) - KEEP
    return db.session.execute(delete(SmsReply).where(SmsReply.received_at < cutoff)).rowcount
