"""What the author of a petition is told by e-mail after each moderation step (the outbox,
in the municipality's default language: the portal keeps no language per person yet)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.blueprints.accounts.models import User
from portal.blueprints.petitions.lifecycle import REJECTION_LABELS
from portal.blueprints.petitions.models import Petition
from portal.extensions import db
from portal.services.outbox import queue_email
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url


def author_locale(petition: Petition) -> str:
    """The author's language when known, else the municipality's default."""
    return getattr(petition, "author_locale", None) or current_tenant.config.default_locale


def tell_author(petition: Petition, step: str, *, note: str = "", event_id: int) -> None:
    """Queue the author's e-mail for moderation ``step`` (published, changes_requested,
    rejected); nothing when the petition has no author with an address."""
    author = db.session.get(User, petition.author_id) if petition.author_id else None
    if author is None or not author.email:
        return
    locale = author_locale(petition)
    with force_locale(locale):
        if step == "published":
            title = _("Your petition is published")
            lines = [_("The petition “%(title)s” has been published and is collecting "
                       "signatures.", title=petition.title)]
        elif step == "changes_requested":
            title = _("Your petition needs changes")
            lines = [_("The moderators ask you to change the petition “%(title)s” before it is "
                       "published:", title=petition.title), note]
        else:
            title = _("Your petition was not published")
            lines = [_("The petition “%(title)s” was rejected. Reason: %(reason)s.",
                       title=petition.title,
                       reason=REJECTION_LABELS.get(petition.rejection_reason or "", ""))]
            if note:
                lines.append(note)
        queue_email(to=author.email, template="notice", locale=locale,
                    idempotency_key=f"petitions.moderation:{event_id}",
                    context={"title": title, "lines": [line for line in lines if line],
                             "action_url": message_url("home.index"),
                             "action_label": _("Open the portal")})
