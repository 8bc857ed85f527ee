"""What the register offers to subscribers (``subscriptions/topics.py``): newly published
public documents (``documents.new``), each announced once, when first published."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.documents.labels import CATEGORY_LABELS
from portal.blueprints.subscriptions.topics import Topic, in_language, notify, register_topic
from portal.i18n import long_date
from portal.tenancy.links import message_url

NEW = "documents.new"


def register() -> None:
    register_topic(Topic(NEW, _l("New public documents"), feature="documents", order=46))


def announce(document) -> None:
    """Tell the subscribers of new documents about ``document`` (flushes)."""
    title = in_language(document.title, document.title_en)
    category = CATEGORY_LABELS[document.category]
    adopted = document.adopted_on
    number = document.number
    notify(NEW, item=f"public_document:{document.id}",
           url=message_url("documents.show", public_document_id=document.id),
           subject=LazyString(lambda: _("New public document: %(title)s", title=str(title))),
           lines=[LazyString(lambda: _("%(category)s, No. %(number)s of %(date)s", category=str(category),
                                       number=number, date=long_date(adopted)) if number else
                             _("%(category)s of %(date)s", category=str(category), date=long_date(adopted))),
                  in_language(document.description, document.description_en)])
