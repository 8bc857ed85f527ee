"""What the archive offers to subscribers (``subscriptions/topics.py``): upcoming sessions,
and saved searches of the archive (``search_alerts.py``: the topic ``sessions.search``, one
thing per saved search).

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


def _saved_search(search_id: int) -> str | None:
    from portal.blueprints.sessions.search_alerts import saved_query

    query = saved_query(search_id)
    return f"“{query}”" if query is not None else None


def register() -> None:
    from portal.blueprints.sessions.search_alerts import MAX_PER_SUBSCRIBER, TOPIC

    register_topic(Topic(UPCOMING, _l("Upcoming Sakrebulo sessions"), feature="sessions",
                         order=20))
    register_topic(Topic(TOPIC, _l("Saved search of the Sakrebulo archive"), feature="sessions",
                         sms=True, object_label=_saved_search, listed=False, order=21,
                         most=MAX_PER_SUBSCRIBER))


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
