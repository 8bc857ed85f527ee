"""Confirm that a person holds a phone: a short code sent by SMS, typed back within minutes.

One piece for every feature that needs a confirmed phone (petition authors, SMS
subscriptions, survey answers): the code is stored only as a keyed hash, expires, and allows
a few attempts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import DateTime

from portal.db import Model, utcnow


class PhoneCode(Model):
    """One code sent to one phone for one purpose (e.g. ``petition_author:12``)."""

    __tablename__ = "phone_codes"
    __table_args__ = (Index("ix_phone_codes_purpose_phone", "purpose", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The municipality it was sent for (its SMS sender and limits); none on the platform.
    tenant_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(60))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
