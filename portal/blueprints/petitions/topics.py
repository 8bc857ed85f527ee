"""What petitions offer to subscribers (``subscriptions/topics.py``): new petitions, and one
petition's progress (its followers' topic, beside the e-mails of ``followers.py``, whose
behaviour this does not change).

``announce`` is called by ``lifecycle`` after every step that notifies: a petition opening
for signatures goes to "new petitions"; a public step (submitted, on the agenda, decided,
closed short) to the subscribers of that petition. Each timeline entry is sent once.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.subscriptions.topics import Topic, notify, register_topic
from portal.tenancy.links import message_url

NEW = "petitions.new"
ONE = "petitions.petition"
#: Steps a petition's subscribers hear of.
PUBLIC_STEPS = frozenset({"submitted", "on_agenda", "decided", "closed_unsuccessful"})


def _title(petition_id: int) -> str | None:
    from portal.blueprints.petitions.queries import public_petition

    petition = public_petition(petition_id)
    return petition.title if petition is not None else None


def register() -> None:
    register_topic(Topic(NEW, _l("New petitions"), feature="petitions", order=30))
    register_topic(Topic(ONE, _l("A petition's progress"), feature="petitions",
                         object_label=_title, listed=False, order=31))


def announce(petition, event) -> None:
    """Tell the subscribers of the step ``event`` that ``petition`` took (flushes)."""
    from portal.blueprints.petitions.lifecycle import STATUS_LABELS

    url = message_url("petitions.show", petition_id=petition.id)
    title = petition.title
    if event.kind == "collecting":
        notify(NEW, item=f"petition:{petition.id}", url=url,
               subject=LazyString(lambda: _("New petition: %(title)s", title=title)),
               lines=[LazyString(lambda: _("A new petition is collecting signatures: "
                                           "“%(title)s”.", title=title))])
    elif event.kind in PUBLIC_STEPS:
        status = STATUS_LABELS.get(event.kind, event.kind)
        notify(ONE, object_id=petition.id, item=f"event:{event.id}", url=url,
               subject=LazyString(lambda: _("News of the petition “%(title)s”", title=title)),
               lines=[LazyString(lambda: _("The petition “%(title)s” is now: %(status)s.",
                                           title=title, status=status)), event.note])
