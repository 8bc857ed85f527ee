"""iCalendar feeds of upcoming sessions, per municipality and per body.

Times are written in the municipality's zone with ``TZID`` and its ``VTIMEZONE`` (RFC 5545
§3.3.5 form 3), so a calendar shows 10:00 in Tbilisi whatever its own zone; ``DTSTAMP`` is UTC
as the RFC requires. A floating time (no zone) would be read in the subscriber's zone.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, url_for
from icalendar import Calendar, Event, Timezone

from portal.blueprints.sessions import bp
from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.council.services import as_utc
from portal.i18n import localized
from portal.tenancy import current_tenant


def _calendar(sessions, name: str) -> Response:
    cal = Calendar()
    cal.add("prodid", "-//civic portal//council sessions//KA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", current_tenant.config.timezone)
    zone = ZoneInfo(current_tenant.config.timezone)
    for session in sessions:
        event = Event()
        starts = as_utc(session.starts_at)
        ends = as_utc(session.ends_at) or starts + timedelta(hours=2)
        event.add("uid", f"session-{session.id}@{current_tenant.slug}.council")
        event.add("summary", session.title)
        event.add("dtstart", starts.astimezone(zone))
        event.add("dtend", ends.astimezone(zone))
        event.add("dtstamp", as_utc(session.updated_at) or starts)
        if session.place:
            event.add("location", session.place)
        event.add("description", f"{session.body.name_ka}\n{session.description}".strip())
        event.add("url", url_for("sessions.show", session_id=session.id, _external=True))
        event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    if sessions:
        # The zone's rules over the feed's dates only (a few lines, not its whole history),
        # placed before the events as most calendar programs expect.
        days = [as_utc(s.starts_at).date() for s in sessions]
        cal.subcomponents.insert(0, Timezone.from_tzid(
            current_tenant.config.timezone, first_date=min(days) - timedelta(days=366),
            last_date=max(days) + timedelta(days=366)))
    response = Response(cal.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response.cache_control.max_age = 300
    return response


@bp.get("/calendar.ics")
def calendar():
    return _calendar(queries.upcoming(limit=200), localized(current_tenant.config.short_name))


@bp.get("/bodies/<body_slug>/calendar.ics")
def body_calendar(body_slug: str):
    body = queries.body_by_slug(body_slug)
    if body is None:
        abort(404)
    return _calendar(queries.upcoming(body.id, limit=200), body.name_ka)
