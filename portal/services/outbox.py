"""Write messages to the outbox in the caller's transaction: ``queue_email`` and ``queue_sms``.

A message exists only if the change that caused it commits, and the commit wakes delivery
(``portal.db.on_commit`` enqueues ``send_outbox`` for the municipality); the periodic sweeper
catches anything a lost wake-up left behind. Both functions flush, never commit.
"""

from __future__ import annotations

import logging
import uuid
from decimal import ROUND_HALF_UP, Decimal

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal.db import on_commit
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import seal
from portal.extensions import db
from portal.i18n import LOCALES
from portal.services.recipients import check_email, normalise_phone
from portal.services.sms.segments import segment_info
from portal.services.sms.segments import transliterate as to_latin
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

log = logging.getLogger("portal.outbox")


def queue_email(*, to: str, template: str, context: dict, locale: str,
                idempotency_key: str | None = None,
                subscription_token: str | None = None,
                secret: str | None = None, new_key: bool = False,
                flush: bool = True) -> OutboxMessage:
    """Render ``emails/<template>.txt`` (subject and text) and ``.html`` in ``locale`` and add
    the message to the current municipality's outbox.

    Templates see ``context`` plus ``tenant``. With ``subscription_token`` the message carries
    RFC 8058 one-click unsubscribe headers. A repeated ``idempotency_key`` returns the existing
    message instead of queueing a second one; ``new_key=True`` says the key names something
    created in the caller's transaction, so no message can have it yet and the look-up is
    skipped (the unique constraint still stands). ``flush=False`` leaves the flush to the
    caller: a fan-out queues a batch and flushes once (its messages then have no id yet).
    ``secret`` (a link token in the message) is never stored readable
    (``delivery/sealing.py``). Raises InvalidRecipient, and ValueError for a locale the portal
    does not speak.
    """
    if locale not in LOCALES:
        raise ValueError(f"no e-mail templates in {locale!r}; one of {', '.join(LOCALES)}")
    address = check_email(to)
    existing = None if new_key else _existing(idempotency_key)
    if existing is not None:
        return existing
    tenant = current_tenant._get_current_object()
    unsubscribe = unsubscribe_url(subscription_token) if subscription_token else None
    with force_locale(locale):
        ctx = {**context, "tenant": tenant, "locale": locale, "unsubscribe_url": unsubscribe}
        subject = _render_block(f"emails/{template}.txt", "subject", ctx).strip()
        text = _render_block(f"emails/{template}.txt", "text", ctx).strip() + "\n"
        html = render_template(f"emails/{template}.html", **ctx)
    sealed = None
    if secret is not None:
        sealed, subject, text, html = seal(secret, subject, text, html)
    message = OutboxMessage(
        tenant_id=tenant.id, channel="email", recipient=address, locale=locale,
        subject=" ".join(subject.split())[:300], body_text=text, body_html=html,
        unsubscribe_url=unsubscribe,
        idempotency_key=idempotency_key or uuid.uuid4().hex, secret_sealed=sealed,
    )
    return _add(message, flush=flush)


def queue_sms(*, to: str, text: str, idempotency_key: str | None = None,
              transliterate: bool = False, secret: str | None = None,
              new_key: bool = False, flush: bool = True) -> OutboxMessage:
    """Add an SMS to the current municipality's outbox; segments and cost are fixed now.

    ``transliterate`` turns Georgian into Latin letters (national system) so the text fits
    GSM-7's 160 characters a segment instead of UCS-2's 70. ``secret`` (a confirmation code
    in the text) is never stored readable (``delivery/sealing.py``), as for e-mail. Raises
    InvalidRecipient, and ValueError when the municipality has no [sms] settings or the text
    is empty. ``new_key`` and ``flush`` as for ``queue_email``.
    """
    tenant = current_tenant._get_current_object()
    settings = tenant.config.sms
    if settings is None:
        raise ValueError(f"{tenant.slug} has no [sms] settings in tenant.toml")
    body = to_latin(text) if transliterate else text
    if not body.strip():
        raise ValueError("an SMS needs text")
    existing = None if new_key else _existing(idempotency_key)
    if existing is not None:
        return existing
    info = segment_info(body)  # of the text as sent, the secret in place
    cost = (settings.segment_price_gel * info.segments * 100).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP)
    sealed = None
    if secret is not None:
        sealed, _subject, body, _html = seal(secret, "", body, None)
    message = OutboxMessage(
        tenant_id=tenant.id, channel="sms", recipient=normalise_phone(to),
        locale=tenant.config.default_locale, body_text=body,
        idempotency_key=idempotency_key or uuid.uuid4().hex, secret_sealed=sealed,
        encoding=info.encoding, segments=info.segments, cost_tetri=int(cost),
    )
    return _add(message, flush=flush)


def existing_keys(keys: list[str]) -> set[str]:
    """Which of ``keys`` the outbox already holds (one statement): a fan-out checks a whole
    batch at once, then queues the others with ``new_key=True``."""
    if not keys:
        return set()
    return set(db.session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(keys))))


def unsubscribe_url(token: str) -> str:
    """The absolute one-click unsubscribe URL of the current municipality (configured domains
    only, never the request's Host)."""
    return message_url("unsubscribe.confirm", tenant=current_tenant._get_current_object(),
                       unsubscribe_token=token)


def _render_block(template: str, block: str, ctx: dict) -> str:
    from jinja2_fragments.flask import render_block

    return render_block(template, block, **ctx)


def _existing(key: str | None) -> OutboxMessage | None:
    if key is None:
        return None
    return db.session.execute(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
    ).scalar_one_or_none()


def _add(message: OutboxMessage, *, flush: bool = True) -> OutboxMessage:
    db.session.add(message)
    if flush:
        db.session.flush()
    wake_delivery_on_commit(message.tenant_id)
    return message


def wake_delivery_on_commit(tenant_id: int) -> None:
    """Wake the delivery worker for ``tenant_id`` once the caller's transaction commits
    (once per municipality and transaction, however many messages it queued)."""
    on_commit(lambda: _wake(tenant_id), key=("send_outbox", tenant_id))


def _wake(tenant_id: int) -> None:
    from portal.jobs import enqueue

    try:
        enqueue("send_outbox", tenant_id=tenant_id)
    except Exception:  # the sweeper delivers within a minute; never fail the commit
        log.exception("could not wake delivery for tenant %s", tenant_id)
