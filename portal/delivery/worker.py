"""Drain one municipality's outbox: claim a batch, send each message, record each outcome.

The order of writes is what makes a crash safe (docs/delivery.md): claim (status sending,
lease) → hand-off mark, committed before the provider can accept the message → send → sent.
A message found with an expired lease and a hand-off mark is in doubt and never simply
resent: e-mail is recorded ``in_doubt`` (staff may send it again deliberately), SMS is looked
up at the provider by its reference first.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import current_app

from portal.delivery import claim as store
from portal.delivery.claim import Claimed
from portal.delivery.ledger import Ledger
from portal.delivery.limits import allowance, sms_budget_left_tetri
from portal.delivery.sealing import reveal
from portal.services.mail import SmtpSender, build_message, message_id, parse_mail_url
from portal.services.sms import provider_for
from portal.services.transport import (
    Bounced,
    DeliveryError,
    InDoubt,
    NotConfigured,
    PermanentFailure,
    TemporaryFailure,
)
from portal.tenancy import current_tenant

log = logging.getLogger("portal.delivery")
#: The periodic sweeper's interval (portal/jobs/schedule.py).
SWEEP_SECONDS = 60
UNCONFIRMED = "unconfirmed: the worker stopped after handing the message over; not resent"


class LeaseLost(Exception):
    """Another worker took the message over (our lease ran out); leave it to that worker."""


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    in_doubt: int = 0
    #: Seconds until it is worth draining again (rate limit, next retry or lease), or 0.
    wait: float = 0.0
    #: True when time ran out with messages possibly still due.
    more: bool = False


def drain(channels: tuple[str, ...] = ("email", "sms"), time_budget: float = 50.0) -> DrainReport:
    """Send the current municipality's due messages, batch by batch, within ``time_budget``."""
    config = current_app.config
    report = DrainReport()
    deadline = time.monotonic() + time_budget
    for channel in channels:
        after_id = 0
        while True:
            if time.monotonic() >= deadline:
                report.more = True
                break
            left, wait = allowance(channel)
            if left == 0:
                report.wait = max(report.wait, wait)
                break
            size = config["OUTBOX_BATCH_SIZE"]
            size = size if left is None else min(left, size)
            batch = store.claim_batch(channel, size, config["OUTBOX_LEASE_SECONDS"], after_id)
            if not batch:
                break
            after_id = batch[-1].id
            ledger = Ledger()
            try:
                (_send_emails if channel == "email" else _send_sms)(batch, ledger, report)
            except Exception:
                ledger.release(batch)
                raise
            ledger.flush()
    if not report.more and not report.wait:
        # Come back for the next retry or expired lease, unless the sweeper's minute is sooner.
        due_in = store.next_due_in()
        if due_in is not None and due_in < SWEEP_SECONDS:
            report.wait = max(0.5, due_in)
    return report


def _retry(ledger: Ledger, message: Claimed, exc: DeliveryError, report: DrainReport, *,
           keep_handoff=False):
    config = current_app.config
    delay = getattr(exc, "retry_after", None) or store.backoff(
        message.attempts, config["OUTBOX_RETRY_BASE_SECONDS"])
    ledger.retry(message, str(exc), delay=delay, max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
                     keep_handoff=keep_handoff)
    report.retried += 1


def _final(ledger: Ledger, message: Claimed, exc: DeliveryError, report: DrainReport) -> None:
    ledger.final(message, "bounced" if isinstance(exc, Bounced) else "failed", str(exc))
    report.failed += 1


def _handoff(ledger: Ledger, message: Claimed):
    def record() -> None:
        if not ledger.handoff(message):
            raise LeaseLost(message.id)

    return record


def _send_emails(batch: list[Claimed], ledger: Ledger, report: DrainReport) -> None:
    config = current_app.config
    tenant = current_tenant._get_current_object()
    sender_address = config["MAIL_FROM"]
    domain = sender_address.rpartition("@")[2] or "localhost"
    try:
        settings = parse_mail_url(config["MAIL_URL"], config["MAIL_USERNAME"],
                                  config["MAIL_PASSWORD"])
    except NotConfigured as exc:
        for message in batch:
            _retry(ledger, message, exc, report)
        return
    with SmtpSender(settings) as smtp:
        for message in batch:
            if message.handed_off_at is not None:
                ledger.in_doubt(message, UNCONFIRMED)
                report.in_doubt += 1
                continue
            mail = tenant.config.mail
            name = mail.sender_name or tenant.config.name
            email = build_message(
                sender_address=sender_address,
                sender_name=(name.en or name.ka) if message.locale == "en" else name.ka,
                recipient=message.recipient,
                subject=reveal(message.subject, message.secret_sealed) or "",
                text=reveal(message.body_text, message.secret_sealed),
                html=reveal(message.body_html, message.secret_sealed),
                msg_id=message_id(tenant.slug, message.idempotency_key, domain),
                locale=message.locale, reply_to=mail.reply_to,
                unsubscribe_url=message.unsubscribe_url,
            )
            try:
                reply = smtp.send(email, envelope_from=sender_address,
                                  recipient=message.recipient, on_handoff=_handoff(ledger, message))
            except LeaseLost:
                continue
            except InDoubt as exc:
                ledger.in_doubt(message, f"{UNCONFIRMED} ({exc})")
                report.in_doubt += 1
            except (Bounced, PermanentFailure) as exc:
                _final(ledger, message, exc, report)
            except TemporaryFailure as exc:
                _retry(ledger, message, exc, report)
            else:
                ledger.sent(message, provider_message_id=reply[:200] or None)
                report.sent += 1


def _send_sms(batch: list[Claimed], ledger: Ledger, report: DrainReport) -> None:
    tenant = current_tenant._get_current_object()
    try:
        provider = provider_for(tenant)
    except NotConfigured as exc:
        for message in batch:
            _retry(ledger, message, exc, report)
        return
    to_send = _within_budget(batch, ledger, report)
    # Unlike e-mail, an SMS in doubt can be checked with the provider (by reference), so
    # one hand-off commit covers the whole batch.
    ours = ledger.handoff_all(to_send)
    for message in to_send:
        if message.id not in ours:
            continue  # another worker took it over
        try:
            if message.handed_off_at is not None:
                known = provider.lookup(message.idempotency_key)
                if known is not None:
                    ledger.sent(message, provider_message_id=known.provider_message_id)
                    report.sent += 1
                    continue
            provider_id = provider.send(sender=tenant.config.sms.sender,
                                        destination=message.recipient,
                                        text=reveal(message.body_text, message.secret_sealed),
                                        reference=message.idempotency_key)
        except (Bounced, PermanentFailure) as exc:
            _final(ledger, message, exc, report)
        except (TemporaryFailure, InDoubt) as exc:
            # The provider may have it: the next attempt asks it (by reference) first.
            _retry(ledger, message, exc, report, keep_handoff=True)
        else:
            ledger.sent(message, provider_message_id=provider_id)
            report.sent += 1


def _within_budget(batch: list[Claimed], ledger: Ledger, report: DrainReport) -> list[Claimed]:
    """The messages this month's SMS budget allows (or staff approved); hold the others."""
    budget = sms_budget_left_tetri()
    if budget is None:
        return batch
    budget += sum(m.cost_tetri or 0 for m in batch)  # the batch already counts as "sending"
    allowed = []
    for message in batch:
        cost = message.cost_tetri or 0
        if message.approved_at is None and cost > budget:
            ledger.held(message, "over this month's SMS budget: waiting for approval")
            report.held += 1
            continue
        if message.approved_at is None:
            budget -= cost
        allowed.append(message)
    return allowed
