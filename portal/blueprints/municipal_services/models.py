"""The catalogue of municipal services, the departments that deliver them (with their calendar
of appointments), and what citizens ask for: applications and appointments.

A ``ServiceRequest`` holds the applicant's contacts (personal data). The confirmation code is
never stored readable: only a keyed hash finds the request (``requests.py``). A booked place
in a department's calendar is one ``Slot`` row per time, whose ``taken`` never passes its
``capacity``: the database refuses it (a conditional UPDATE, ``booking.py``) and a CHECK
constraint is the last line.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow

#: How a service is asked for: a form sent online, or a visit booked in the calendar.
MODES = ("application", "appointment")
#: The kinds of question a service's form may ask.
FIELD_KINDS = ("text", "textarea", "number", "date", "choice", "checkbox", "file")
#: An application's life (``lifecycle.TRANSITIONS``).
APPLICATION_STATUSES = ("submitted", "in_progress", "documents_requested", "approved",
                        "rejected", "cancelled")
#: An appointment's life.
APPOINTMENT_STATUSES = ("booked", "attended", "completed", "no_show", "cancelled")
STATUSES = tuple(dict.fromkeys(APPLICATION_STATUSES + APPOINTMENT_STATUSES))
#: Weekday keys of a department's opening hours (``date.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Department(TenantOwned, Timestamped, Model):
    """A department (სამსახური) of the City Hall: it delivers services and, for those by
    appointment, keeps the calendar: opening hours per weekday, slot length, places per slot.
    Holidays come from the municipality's working days (``services/working_days``)."""

    __tablename__ = "service_departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_ka: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Where to come: an address and room, shown with an appointment.
    place_ka: Mapped[str] = mapped_column(String(300), default="", server_default="")
    place_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: weekday key (WEEKDAYS) → [opens, closes] as "HH:MM"; a weekday missing is closed.
    hours: Mapped[dict] = mapped_column(JSON, default=dict)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    #: People received at once (windows or operators): the places of each slot.
    slot_capacity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: How many days ahead the calendar opens.
    days_ahead: Mapped[int] = mapped_column(Integer, default=21, server_default="21")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, f"{name}_ka"), "en": getattr(self, f"{name}_en")}


class Service(TenantOwned, Timestamped, Model):
    """One entry of the catalogue, in Georgian and English."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("service_departments.id", ondelete="RESTRICT"), index=True)
    mode: Mapped[str] = mapped_column(String(20), default="application")
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    title_ka: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    summary_ka: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligibility_ka: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligibility_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The documents to bring or upload, one per line.
    documents_ka: Mapped[str] = mapped_column(Text, default="", server_default="")
    documents_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The fee in tetri (0: free of charge).
    fee_tetri: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="GEL", server_default="GEL")
    #: Time to deliver, in working days (0: on the spot).
    delivery_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    legal_basis_ka: Mapped[str] = mapped_column(Text, default="", server_default="")
    legal_basis_en: Mapped[str] = mapped_column(Text, default="", server_default="")

    department: Mapped[Department] = relationship(Department, lazy="joined")
    fields: Mapped[list[ServiceField]] = relationship(
        back_populates="service", order_by="ServiceField.position, ServiceField.id",
        cascade="all, delete-orphan", lazy="selectin")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, f"{name}_ka"), "en": getattr(self, f"{name}_en")}


class ServiceField(TenantOwned, Model):
    """A question of a service's online application, defined by staff."""

    __tablename__ = "service_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: One of FIELD_KINDS.
    kind: Mapped[str] = mapped_column(String(20), default="text")
    label_ka: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: For "choice": the options, one per line, "ქართული | English".
    choices: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_required: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[Service] = relationship(back_populates="fields")

    def text(self, name: str) -> dict:
        return {"ka": getattr(self, f"{name}_ka"), "en": getattr(self, f"{name}_en")}


class Slot(TenantOwned, Model):
    """The places taken at one time of one department's calendar. Made when first booked;
    ``taken`` rises only by a conditional UPDATE (``taken < capacity``), so two people never
    take the last place together."""

    __tablename__ = "service_slots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "department_id", "day", "start_minute"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("service_departments.id", ondelete="CASCADE"), index=True)
    #: The municipality's local date and minute of the day the slot starts.
    day: Mapped[date] = mapped_column(Date)
    start_minute: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)


class ServiceRequest(TenantOwned, Timestamped, Model):
    """An application or an appointment of one applicant for one service."""

    __tablename__ = "service_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code_hash"),
        Index("ix_service_requests_tenant_id_status", "tenant_id", "status"),
        Index("ix_service_requests_tenant_id_day", "tenant_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="RESTRICT"), index=True)
    #: "application" or "appointment" (the service's mode when it was made).
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    #: Keyed hash of the confirmation code the applicant received (``crypto.lookup_hash``).
    code_hash: Mapped[str] = mapped_column(String(64))
    #: Random; part of the signed link to the status page. A new one ends the old links.
    link_nonce: Mapped[str] = mapped_column(String(32))
    #: The signed-in citizen who made it ("my page"), if any.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Personal data: the applicant's name and contacts.
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    #: The applicant's language: every message to them is in it.
    locale: Mapped[str] = mapped_column(String(5), default="ka")
    #: An appointment's slot (its day and minute copied for lists and reminders).
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("service_slots.id", ondelete="SET NULL"), index=True)
    day: Mapped[date | None] = mapped_column(Date)
    start_minute: Mapped[int | None] = mapped_column(Integer)
    #: An application's answers: field id (as text) → the value given.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What staff last told the applicant (missing documents, the decision).
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Attended-and-completed, or decided: the satisfaction hook fired then (once).
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    service: Mapped[Service] = relationship(Service, lazy="joined")
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.occurred_at, RequestEvent.id",
        cascade="all, delete-orphan")


class RequestEvent(TenantOwned, Model):
    """A dated step of a request, shown to the applicant on the status page."""

    __tablename__ = "service_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[ServiceRequest] = relationship(back_populates="events")


class RequestFile(TenantOwned, Model):
    """A file sent with an application (or later, when staff asked for missing documents):
    checked by its content (``services/uploads``), kept under a server-made key."""

    __tablename__ = "service_request_files"
    __table_args__ = (UniqueConstraint("tenant_id", "storage_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"), index=True)
    #: The form's file question it answers; None for a document sent later.
    field_id: Mapped[int | None] = mapped_column(ForeignKey("service_fields.id", ondelete="SET NULL"))
    storage_path: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
