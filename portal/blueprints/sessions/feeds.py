"""iCalendar feeds of upcoming sessions, per municipality and per body."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, url_for
from icalendar import Calendar, Event

from portal.blueprints.sessions import bp, queries
from portal.i18n import localized
from portal.tenancy import current_tenant


def _calendar(sessions, name: str) -> Response:
    cal = Calendar()
    cal.add("prodid", "-//civic portal//council sessions//KA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", current_tenant.config.timezone)
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.id}@{current_tenant.slug}.council")
        event.add("summary", session.title)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at or session.starts_at + timedelta(hours=2))
        event.add("dtstamp", session.updated_at or session.starts_at)
        if session.place:
            event.add("location", session.place)
        event.add("description", f"{session.body.name_ka}\n{session.description}".strip())
        event.add("url", url_for("sessions.show", session_id=session.id, _external=True))
        event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    response = Response(cal.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response.cache_control.max_age = 300
    return response


@bp.get("/calendar.ics")
def calendar():
    return _calendar(queries.upcoming(limit=200), localized(current_tenant.config.short_name))


@bp.get("/bodies/<slug>/calendar.ics")
def body_calendar(slug: str):
    body = queries.body_by_slug(slug)
    if body is None:
        abort(404)
    return _calendar(queries.upcoming(body.id, limit=200), body.name_ka)
