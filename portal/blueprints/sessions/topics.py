"""What the archive offers to subscribers (``subscriptions/topics.py``): upcoming sessions.

``announce`` is called when the clerk schedules a session that has not started yet; each
session is announced once, with its time in the municipality's zone and its page's link.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.subscriptions.topics import Topic, notify, register_topic
from portal.db import utcnow
from portal.tenancy.links import message_url

UPCOMING = "sessions.upcoming"


def register() -> None:
    register_topic(Topic(UPCOMING, _l("Upcoming Sakrebulo sessions"), feature="sessions",
                         order=20))


def announce(session) -> None:
    """Announce ``session`` if it lies ahead (flushes; once per session)."""
    from portal.blueprints.sessions.council.services import as_utc
    from portal.i18n import date_time

    starts = as_utc(session.starts_at)
    if starts is None or starts <= utcnow() or session.status != "scheduled":
        return
    title = session.title
    notify(UPCOMING, item=f"session:{session.id}",
           url=message_url("sessions.show", session_id=session.id),
           subject=LazyString(lambda: _("Upcoming session: %(title)s", title=title)),
           lines=[LazyString(lambda: _("The Sakrebulo meets on %(when)s: %(title)s.",
                                       when=date_time(starts), title=title))])
