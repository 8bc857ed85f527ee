"""What small grants offer to subscribers (``subscriptions/topics.py``): new calls
(``grants.new``), each announced once, when it is first published."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.subscriptions.topics import Topic, in_language, notify, register_topic
from portal.tenancy.links import message_url

NEW = "grants.new"


def register() -> None:
    register_topic(Topic(NEW, _l("Small-grants competitions"), feature="grants", order=45))



def announce_call(competition) -> None:
    """Tell the subscribers of new calls about ``competition`` (flushes; once per call, however
    often it is unpublished and published again)."""
    from portal.db import aware
    from portal.i18n import date_time

    title = in_language(competition.title_ka, competition.title_en)
    deadline = aware(competition.deadline_at)
    notify(NEW, item=f"grant_competition:{competition.id}",
           url=message_url("grants.competition", competition_id=competition.id),
           subject=LazyString(lambda: _("A new small-grants competition: %(title)s", title=str(title))),
           lines=[LazyString(lambda: _("Applications are taken until %(when)s.",
                                       when=date_time(deadline))),
                  in_language(competition.aims_ka, competition.aims_en)])
