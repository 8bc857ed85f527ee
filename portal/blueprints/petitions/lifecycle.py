"""A petition's life: which status may follow which, and the dated timeline entry of each step.

draft → moderation → collecting → submitted → on_agenda → decided, with the moderators' side
roads (changes_requested back to moderation, rejected with a reason from the published list)
and closed_unsuccessful when collection ends short of the threshold.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal.blueprints.petitions import voters
from portal.blueprints.petitions.models import REJECTION_REASONS, Petition, PetitionEvent
from portal.blueprints.petitions.settings import petitions_settings
from portal.db import aware, utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("moderation",),
    "moderation": ("collecting", "changes_requested", "rejected"),
    "changes_requested": ("moderation",),
    "collecting": ("submitted", "closed_unsuccessful"),
    "submitted": ("on_agenda", "decided"),
    "on_agenda": ("decided",),
    "decided": (),
    "closed_unsuccessful": (),
    "rejected": (),
}
#: Statuses in which the petition no longer collects; anonymisation counts from reaching one.
CLOSING = frozenset({"submitted", "closed_unsuccessful", "rejected"})
#: Steps the author takes; every other step is staff's and audit-logged.
AUTHOR_STEPS = frozenset({("draft", "moderation"), ("changes_requested", "moderation")})
#: Default collection period (a municipality's setting may say otherwise).
DEFAULT_COLLECTION_DAYS = 30

STATUS_LABELS = {
    "draft": _l("Draft"),
    "moderation": _l("Awaiting moderation"),
    "changes_requested": _l("Changes requested"),
    "collecting": _l("Collecting signatures"),
    "submitted": _l("Submitted to the Sakrebulo"),
    "on_agenda": _l("On the Sakrebulo's agenda"),
    "decided": _l("Decided"),
    "closed_unsuccessful": _l("Closed without enough signatures"),
    "rejected": _l("Rejected"),
}
FORM_LABELS = {
    "draft_resolution": _l("Draft resolution"),
    "principles": _l("Main principles of a resolution"),
    "request_to_discuss": _l("Request to discuss an issue at a session"),
}
REJECTION_LABELS = {
    "duplicate": _l("Duplicates another petition"),
    "outside_competence": _l("Outside the Sakrebulo's competence"),
    "offensive": _l("Offensive content"),
    "personal_data": _l("Discloses personal data"),
    "unclear": _l("Unclear what is asked"),
    "other": _l("Other reason"),
}


def move(petition: Petition, to: str, *, actor=None, note: str = "",
         now: datetime | None = None, notify: bool = True) -> PetitionEvent:
    """Move ``petition`` to status ``to`` and add the dated timeline entry; flushes.

    Followers are e-mailed through the outbox (``followers.status_changed``) unless
    ``notify`` is false (the demo's history). Raises DomainError when the step is not allowed
    from the current status. Use ``publish`` to open collection and ``reject`` to reject
    (they set what those steps need).
    """
    event = _step(petition, to, actor=actor, note=note, now=now)
    if notify:
        _tell_followers(petition, event)
    return event


def _tell_followers(petition: Petition, event: PetitionEvent) -> None:
    from portal.blueprints.petitions.followers import status_changed  # it reads our labels
    from portal.blueprints.petitions.topics import announce

    status_changed(petition, event)
    announce(petition, event)
    if event.kind == "decided":
        from portal.blueprints.petitions.followers import invite_author_to_rate

        invite_author_to_rate(petition)


def _step(petition: Petition, to: str, *, actor=None, note: str = "",
          now: datetime | None = None) -> PetitionEvent:
    now = now or utcnow()
    if to not in TRANSITIONS.get(petition.status, ()):
        raise DomainError(_l("A petition cannot move from “%(current)s” to “%(new)s”.",
                             current=STATUS_LABELS.get(petition.status, petition.status),
                             new=STATUS_LABELS.get(to, to)))
    before = petition.status
    petition.status = to
    if to in CLOSING:
        petition.closed_at = now
    event = PetitionEvent(petition_id=petition.id, kind=to, from_status=before, note=note,
                          actor_id=getattr(actor, "id", None), occurred_at=now)
    db.session.add(event)
    if (before, to) not in AUTHOR_STEPS:
        audit.record("petitions.status_changed", target=f"petition:{petition.id}",
                     before={"status": before}, after={"status": to}, actor=actor)
    db.session.flush()
    return event


def publish(petition: Petition, *, actor=None, now: datetime | None = None,
            days: int | None = None, notify: bool = True) -> PetitionEvent:
    """Open collection for ``days`` from ``now`` (the municipality's ``collection_days``
    setting when not given), fixing the threshold from the newest voter count. Raises
    DomainError when no voter count is recorded."""
    now = now or utcnow()
    days = days or petitions_settings.get("collection_days") or DEFAULT_COLLECTION_DAYS
    threshold = voters.current_threshold()
    if threshold is None:
        raise DomainError(_l("Record the number of registered voters before publishing: the "
                             "threshold is one per cent of it."))
    event = _step(petition, "collecting", actor=actor, now=now)
    petition.threshold = threshold
    petition.collection_opens_at = now
    petition.collection_closes_at = now + timedelta(days=days)
    db.session.flush()
    if notify:
        _tell_followers(petition, event)
    return event


def reject(petition: Petition, reason: str, *, note: str = "", actor=None,
           now: datetime | None = None, notify: bool = True) -> PetitionEvent:
    """Reject with a reason from REJECTION_REASONS (the moderator's note beside it)."""
    if reason not in REJECTION_REASONS:
        raise DomainError(_l("Choose a reason from the list."), field="reason")
    event = _step(petition, "rejected", actor=actor, note=note, now=now)
    petition.rejection_reason = reason
    petition.rejection_note = note
    db.session.flush()
    if notify:
        _tell_followers(petition, event)
    return event


def is_collecting(petition: Petition, now: datetime | None = None) -> bool:
    """Whether the petition accepts signatures at ``now``."""
    now = now or utcnow()
    if petition.status != "collecting":
        return False
    opens, closes = aware(petition.collection_opens_at), aware(petition.collection_closes_at)
    return (opens is None or opens <= now) and (closes is None or now < closes)


def close_due(now: datetime | None = None) -> list[Petition]:
    """End collection where it is due, in the current municipality; flushes.

    A collecting petition whose public count reached its threshold is submitted to the
    Sakrebulo; one whose collection period ended short of it closes unsuccessful. Returns the
    petitions moved (the counting job calls this after each count)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Petition).where(
            Petition.status == "collecting",
            or_(Petition.signature_count >= Petition.threshold,
                Petition.collection_closes_at <= now))
        .order_by(Petition.id)).all()
    for petition in due:
        reached = petition.threshold is not None and petition.signature_count >= petition.threshold
        move(petition, "submitted" if reached else "closed_unsuccessful", now=now)
    return due
