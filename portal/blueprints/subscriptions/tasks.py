"""Jobs of subscriptions: ``send_notice`` (one batch a run, then the next run) and the daily
``purge_unconfirmed_subscribers``."""

from __future__ import annotations

from portal.extensions import db
from portal.jobs import job


@job(retries=3)
def send_notice(tenant_id: int, notice_id: int) -> str:
    """Queue the next batch of a notice's messages; queue the next run until all are queued.
    A retried run re-queues nothing (the outbox keys) and resumes at the saved cursor."""
    from portal.blueprints.subscriptions.delivery import is_due, send_batch, start_sending
    from portal.blueprints.subscriptions.models import Notice

    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.state == "sent":
        return "nothing to send"
    if not is_due(notice):
        return "scheduled for later"
    done = send_batch(notice)
    if not done:
        start_sending(notice)
    return f"{notice.queued} queued{'' if done else ', more to come'}"


@job(retries=1)
def purge_unconfirmed_subscribers(tenant_id: int) -> str:
    """Delete contacts that were never confirmed (personal data kept no longer than needed)."""
    from portal.blueprints.subscriptions.services import purge_unconfirmed

    return f"{purge_unconfirmed()} unconfirmed contacts deleted"


@job(retries=0)
def resume_notices(tenant_id: int) -> str:
    """Queue ``send_notice`` again for notices left unsent (a wake-up lost with a crashed
    worker or an unreachable queue): the cursor and the outbox keys make it safe."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.blueprints.subscriptions.delivery import is_due, start_sending
    from portal.blueprints.subscriptions.models import Notice
    from portal.db import utcnow

    late = utcnow() - timedelta(minutes=5)
    stale = [n for n in db.session.scalars(select(Notice).where(
        Notice.state != "sent", Notice.created_at < late)) if is_due(n, late)]
    for notice in stale:
        start_sending(notice)
    return f"{len(stale)} resumed"


@job(retries=2)
def send_subscription_digests(tenant_id: int) -> str:
    """The daily digest of the subscribers who chose one (``digest.py``)."""
    from portal.blueprints.subscriptions.digest import send_digests

    return f"{send_digests()} digests queued"


@job(retries=1)
def purge_sms_replies(tenant_id: int) -> str:
    """Forget the ids of SMS replies past ``sms_replies.KEEP`` (a month)."""
    from portal.blueprints.subscriptions.sms_replies import purge_replies

    return f"{purge_replies()} reply ids deleted"
