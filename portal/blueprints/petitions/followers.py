"""Who hears of a petition's status change, and what they are told (e-mail through the outbox).

``lifecycle`` calls ``status_changed`` after every step (``move``, ``publish``, ``reject``,
``close_due``). Followers: the author (every step but their own submission), confirmed
signers who asked to hear the outcome (``wants_outcome``: submitted, on the agenda, decided,
closed short), the municipality's clerks (``petitions.clerk``: the threshold reached or the
collection closed) and its moderators (``petitions.moderate``: an author submitted for
moderation). One message per address per timeline entry (idempotent on the entry's id), in
each person's language (the one a signer signed in, the one an author or staff member last
used signed in; the municipality's own when unknown); links from configured domains
(``message_url``), never a personal number.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.accounts.models import RoleAssignment, User
from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.lifecycle import REJECTION_LABELS, STATUS_LABELS
from portal.blueprints.petitions.models import Petition, PetitionEvent, Signature
from portal.extensions import db
from portal.i18n import LOCALES
from portal.services.outbox import queue_email
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.permissions import ROLES

#: Steps signers who ticked "tell me the outcome" hear of.
SIGNER_STEPS = frozenset({"submitted", "on_agenda", "decided", "closed_unsuccessful"})
#: Steps the clerks hear of: the threshold reached, or collection closed short of it.
CLERK_STEPS = frozenset({"submitted", "closed_unsuccessful"})
#: Steps the moderators hear of: an author (re)submitted for moderation.
MODERATOR_STEPS = frozenset({"moderation"})


def status_changed(petition: Petition, event: PetitionEvent) -> int:
    """Queue each follower's e-mail for ``event`` (the step ``petition`` just took); returns
    how many were queued. Queues nothing twice for one address and entry."""
    step = event.kind
    recipients: dict[str, tuple[str, str, str | None]] = {}  # normalised → (address, who, locale)

    def add(address: str | None, who: str, locale: str | None) -> None:
        if address and address.strip():
            recipients.setdefault(normalise_email(address), (address.strip(), who, locale))

    if step in MODERATOR_STEPS:
        for user in staff_with("petitions.moderate"):
            add(user.email, f"staff{user.id}", user.locale)
    else:
        author = db.session.get(User, petition.author_id) if petition.author_id else None
        if author is not None and author.is_active:
            add(author.email, "author", author.locale)
    if step in CLERK_STEPS:
        for user in staff_with("petitions.clerk"):
            add(user.email, f"staff{user.id}", user.locale)
    if step in SIGNER_STEPS:
        for signature_id, address, locale in db.session.execute(
                select(Signature.id, Signature.email, Signature.locale).where(
                    Signature.petition_id == petition.id, Signature.wants_outcome.is_(True),
                    Signature.confirmed_at.is_not(None), Signature.anonymised_at.is_(None),
                    Signature.invalidated_at.is_(None),
                    Signature.email != "").order_by(Signature.id)):
            add(address, f"signer{signature_id}", locale)
    default = current_tenant.config.default_locale
    for address, who, spoken in recipients.values():
        locale = spoken if spoken in LOCALES else default
        staff = who.startswith("staff")
        with force_locale(locale):
            title, lines = _message(petition, event, staff=staff)
            queue_email(to=address, template="notice", locale=locale,
                        idempotency_key=f"petitions.status:{event.id}:{who}",
                        context={"title": title, "lines": [line for line in lines if line],
                                 "action_url": _link(petition, step, staff=staff),
                                 "action_label": _("Open the petition")})
    return len(recipients)


def staff_with(permission: str) -> list[User]:
    """Active staff of the current municipality holding ``permission`` through a role."""
    roles = [role for role, granted in ROLES.items() if permission in granted]
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role.in_(roles), User.is_active.is_(True))
        .distinct().order_by(User.id)))


def _link(petition: Petition, step: str, *, staff: bool) -> str:
    if staff and step in MODERATOR_STEPS:
        return message_url("petitions_admin.review", petition_id=petition.id)
    if staff:
        return message_url("petitions_admin.petition", petition_id=petition.id)
    if step in ("changes_requested", "rejected", "moderation"):
        # Not public yet: the author's own page (it asks them to sign in first).
        return message_url("petitions_author.edit", petition_id=petition.id)
    return message_url("petitions.show", petition_id=petition.id)


def _message(petition: Petition, event: PetitionEvent, *, staff: bool) -> tuple[str, list[str]]:
    step, title, note = event.kind, petition.title, event.note
    if step == "moderation":
        return (_("A petition awaits moderation"),
                [_("The petition “%(title)s” was submitted for moderation.", title=title)])
    if step == "collecting":
        return (_("Your petition is published"),
                [_("The petition “%(title)s” has been published and is collecting "
                   "signatures.", title=title)])
    if step == "changes_requested":
        return (_("Your petition needs changes"),
                [_("The moderators ask you to change the petition “%(title)s” before it is "
                   "published:", title=title), note])
    if step == "rejected":
        return (_("Your petition was not published"),
                [_("The petition “%(title)s” was rejected. Reason: %(reason)s.", title=title,
                   reason=REJECTION_LABELS.get(petition.rejection_reason or "", "")), note])
    if step == "submitted":
        lines = [_("The petition “%(title)s” reached its threshold of %(threshold)s signatures "
                   "and is submitted to the Sakrebulo.", title=title,
                   threshold=petition.threshold or 0)]
        if staff:
            lines.append(_("Check the sample of signatures and put it on the agenda."))
        return _("A petition reached its threshold"), lines
    if step == "closed_unsuccessful":
        return (_("A petition closed without enough signatures"),
                [_("Collection of signatures for the petition “%(title)s” has ended with "
                   "%(count)s of the %(threshold)s signatures needed.", title=title,
                   count=petition.signature_count, threshold=petition.threshold or 0)])
    return (_("News of a petition"),
            [_("The petition “%(title)s” is now: %(status)s.", title=title,
               status=STATUS_LABELS.get(step, step)), note])
