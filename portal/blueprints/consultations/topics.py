"""What consultations offer to subscribers (``subscriptions/topics.py``): new public
consultations (``consultations.new``), each announced once, when first published."""

from __future__ import annotations

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.subscriptions.topics import Topic, notify, register_topic
from portal.i18n import date_time
from portal.tenancy.links import message_url

NEW = "consultations.new"


def register() -> None:
    register_topic(Topic(NEW, _l("New public consultations"), feature="consultations", order=45))


def _in_language(ka: str, en: str) -> LazyString:
    return LazyString(lambda: en if en and str(get_locale()) == "en" else ka)


def announce(consultation) -> None:
    """Tell the subscribers of new consultations about ``consultation`` (flushes)."""
    title = _in_language(consultation.title, consultation.title_en)
    closes = consultation.closes_at
    notify(NEW, item=f"consultation:{consultation.id}",
           url=message_url("consultations.show", consultation_id=consultation.id),
           subject=LazyString(lambda: _("Public consultation: %(title)s", title=str(title))),
           lines=[LazyString(lambda: _("Comments are taken until %(date)s.", date=date_time(closes))),
                  _in_language(consultation.summary, consultation.summary_en)])
