"""Per-municipality sending limits: messages per minute (each channel) and the SMS budget.

Both are counted from the outbox itself, so every worker on every machine sees the same
numbers without a shared counter; two workers racing may overshoot a minute's limit by at
most one batch each, which is why batches are capped by what the limit still allows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from portal.db import utcnow
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db
from portal.tenancy import current_tenant

WINDOW = timedelta(minutes=1)


def per_minute(channel: str) -> int | None:
    config = current_tenant.config
    if channel == "sms":
        return config.sms.per_minute if config.sms else None
    return config.mail.per_minute


def allowance(channel: str) -> tuple[int | None, float]:
    """(messages that may still go this minute or None for no limit, seconds to wait if 0)."""
    limit = per_minute(channel)
    if limit is None:
        return None, 0.0
    now = utcnow()
    recent = db.session.execute(
        select(func.count(), func.min(M.sent_at)).where(
            M.tenant_id == current_tenant.id, M.channel == channel,
            or_(M.sent_at >= now - WINDOW, (M.status == "sending") & (M.lease_until > now)),
        )
    ).one()
    left = max(0, limit - recent[0])
    if left:
        return left, 0.0
    oldest = recent[1]
    if oldest is not None and oldest.tzinfo is None:  # SQLite returns naive UTC
        oldest = oldest.replace(tzinfo=UTC)
    wait = (oldest + WINDOW - now).total_seconds() if oldest else WINDOW.total_seconds()
    return 0, max(1.0, wait)


def month_start(tenant_timezone: str, now: datetime | None = None) -> datetime:
    """The first instant of the current month in the municipality's time zone."""
    local = (now or utcnow()).astimezone(ZoneInfo(tenant_timezone))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(UTC)  # SQLite compares stored UTC wall times as text


def sms_budget_left_tetri() -> int | None:
    """Tetri left of this month's SMS budget (sent or being sent count), None if no budget."""
    config = current_tenant.config
    if config.sms is None or config.sms.monthly_budget_gel is None:
        return None
    budget = int(config.sms.monthly_budget_gel * 100)
    spent = db.session.execute(
        select(func.coalesce(func.sum(M.cost_tetri), 0)).where(
            M.tenant_id == current_tenant.id, M.channel == "sms",
            or_(M.sent_at >= month_start(config.timezone), M.status == "sending"),
        )
    ).scalar_one()
    return budget - int(spent)
