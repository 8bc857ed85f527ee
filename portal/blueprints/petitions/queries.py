"""What the public pages read: the lists by tab, a petition with its public facts, the latest
signers by initials. Every query goes through the session, so it is the current
municipality's only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, inspect, or_, select
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.models import Petition, PetitionEvent, Signature
from portal.blueprints.petitions.settings import petitions_settings
from portal.db import CURRENT_TENANT_ONLY, aware, utcnow
from portal.extensions import db
from portal.tenancy.models import TenantSetting

#: The public list's tabs: key → (label, statuses shown).
TABS: dict[str, tuple[object, tuple[str, ...]]] = {
    "open": (_l("Open"), ("collecting",)),
    "awaiting": (_l("Awaiting response"), ("submitted", "on_agenda")),
    "decided": (_l("Decided"), ("decided",)),
    "closed": (_l("Closed"), ("closed_unsuccessful",)),
    "rejected": (_l("Rejected"), ("rejected",)),
}
#: Statuses a visitor may see (drafts and moderation are the author's and staff's).
PUBLIC_STATUSES = frozenset(s for _, statuses in TABS.values() for s in statuses)
#: How many of the latest signers a petition's page names (by initials).
LATEST_SIGNERS = 10


def tab_statement(tab: str, q: str = "") -> Select:
    """Petitions of ``tab``, newest first, whose title or text contains ``q``."""
    statement = select(Petition).where(Petition.status.in_(TABS[tab][1]))
    q = q.strip()
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(Petition.title.ilike(like, escape="\\"),
                                        Petition.text.ilike(like, escape="\\")))
    return statement.order_by(Petition.collection_opens_at.desc().nulls_last(),
                              Petition.id.desc())


def public_petition(petition_id: int, *, events: bool = False) -> Petition | None:
    """The petition if a visitor may see it (of the current municipality, past moderation).

    Its timeline (``events``) is loaded only when asked: signing and confirming, a crowd's
    requests, never show it; the page loads it with ``load_events`` when it renders."""
    statement = select(Petition).filter_by(id=petition_id)
    if events:
        statement = statement.options(selectinload(Petition.events))
    petition = db.session.scalars(
        statement.execution_options(**{CURRENT_TENANT_ONLY: True})).first()
    return petition if petition is not None and is_public(petition) else None


def petition_to_sign(petition_id: int) -> tuple[Petition, dict] | None:
    """``public_petition`` with the municipality's petition settings (signing paused, the
    e-mail lists), in one statement: what the sign POST needs before it writes."""
    rows = db.session.execute(
        select(Petition, TenantSetting.name, TenantSetting.value)
        .outerjoin(TenantSetting, and_(TenantSetting.tenant_id == Petition.tenant_id,
                                       TenantSetting.feature == petitions_settings.feature))
        .filter(Petition.id == petition_id)
        .execution_options(**{CURRENT_TENANT_ONLY: True})).all()
    if not rows or not is_public(rows[0][0]):
        return None
    stored = {name: value for _petition, name, value in rows if name is not None}
    return rows[0][0], petitions_settings.get_all(stored=stored)


def is_public(petition: Petition) -> bool:
    return petition.status in PUBLIC_STATUSES


def load_events(petition: Petition) -> Petition:
    """``petition`` with its timeline loaded (one statement, none if it already is)."""
    if "events" in inspect(petition).unloaded:
        set_committed_value(petition, "events", list(db.session.scalars(
            select(PetitionEvent).where(PetitionEvent.petition_id == petition.id)
            .order_by(PetitionEvent.occurred_at))))
    return petition


def newest_open(limit: int = 3) -> list[Petition]:
    return list(db.session.scalars(tab_statement("open").limit(limit)))


def initials(full_name: str) -> str:
    """"ნინო ბერიძე" → "ნ. ბ." (nothing for an anonymised name)."""
    return " ".join(f"{word[0]}." for word in (full_name or "").split()[:3] if word[0].isalpha())


def latest_signers(petition: Petition, limit: int = LATEST_SIGNERS) -> list[tuple[str, datetime]]:
    """Initials and confirmation time of the latest confirmed signers."""
    rows = db.session.execute(
        select(Signature.full_name, Signature.confirmed_at)
        .where(Signature.petition_id == petition.id, Signature.confirmed_at.is_not(None),
               Signature.anonymised_at.is_(None), Signature.invalidated_at.is_(None))
        .order_by(Signature.confirmed_at.desc(), Signature.id.desc()).limit(limit)).all()
    return [(initials(name), aware(at)) for name, at in rows if initials(name)]


def signed_by(email: str) -> list[Petition]:
    """Public petitions holding a confirmed signature from ``email`` (any alias of that inbox,
    as the duplicate checks see it), newest first: the signer's "My page"."""
    address = normalise_email(email or "")
    if "@" not in address:
        return []
    signed = select(Signature.petition_id).where(
        Signature.email_normalised == address, Signature.confirmed_at.is_not(None),
        Signature.invalidated_at.is_(None))
    return list(db.session.scalars(
        select(Petition).where(Petition.id.in_(signed),
                               Petition.status.in_(sorted(PUBLIC_STATUSES)))
        .order_by(Petition.id.desc())))


@dataclass(frozen=True)
class Progress:
    count: int
    threshold: int | None
    days_left: int | None

    @property
    def percent(self) -> int:
        if not self.threshold:
            return 0
        return min(100, int(self.count * 100 / self.threshold))


def progress(petition: Petition, now: datetime | None = None) -> Progress:
    now = now or utcnow()
    closes = aware(petition.collection_closes_at)
    days_left = None
    if petition.status == "collecting" and closes is not None:
        days_left = max(0, (closes - now).days + (1 if (closes - now).seconds else 0))
    return Progress(petition.signature_count or 0, petition.threshold, days_left)


def public_petition_changed(petition_id: int) -> tuple[Petition, datetime] | None:
    """``public_petition`` with when its public page last changed, in one statement.

    The page changes with its row or its timeline. Whatever changes its signatures' part of
    the page touches the row: the count (``counting``, a burst's invalidation), a verification
    mark, anonymisation. So no aggregate over the signatures runs here, which would cost a
    viral petition's every visit in proportion to its signatures."""
    latest_event = (select(func.max(PetitionEvent.occurred_at))
                    .where(PetitionEvent.petition_id == Petition.id)
                    .correlate(Petition).scalar_subquery())
    found = db.session.execute(
        select(Petition, latest_event).filter_by(id=petition_id)
        .execution_options(**{CURRENT_TENANT_ONLY: True})).first()
    if found is None or not is_public(found[0]):
        return None
    petition, event = found
    candidates = [aware(petition.updated_at), aware(petition.created_at), aware(event)]
    return petition, max(c for c in candidates if c is not None)


#: Timeline steps the status-changes feed announces (collecting is the other feed's).
ANNOUNCED_STEPS = ("submitted", "on_agenda", "decided", "closed_unsuccessful", "rejected")
#: Timeline steps anyone may read (the page, the API): the opening and what followed. The
#: moderation's back-and-forth, and the moderators' notes to the author, stay with the author.
PUBLIC_STEPS = ("collecting", *ANNOUNCED_STEPS)
#: How many entries a feed holds.
FEED_SIZE = 50


def public_events(petition: Petition) -> list[PetitionEvent]:
    """The petition's timeline as the public sees it, oldest first."""
    return [e for e in petition.events if e.kind in PUBLIC_STEPS]


def api_statement(status: str | None = None, q: str = "") -> Select:
    """Every public petition (or those of ``status``), newest first, ``q`` as on the list."""
    statement = select(Petition).where(
        Petition.status.in_((status,) if status else sorted(PUBLIC_STATUSES)))
    q = q.strip()
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(Petition.title.ilike(like, escape="\\"),
                                        Petition.text.ilike(like, escape="\\")))
    return statement.order_by(Petition.collection_opens_at.desc().nulls_last(),
                              Petition.id.desc())


def newly_opened(limit: int = FEED_SIZE) -> list[Petition]:
    """Public petitions that opened for signing, latest opening first."""
    return list(db.session.scalars(
        select(Petition).where(Petition.status.in_(sorted(PUBLIC_STATUSES)),
                               Petition.collection_opens_at.is_not(None))
        .order_by(Petition.collection_opens_at.desc(), Petition.id.desc()).limit(limit)))


def status_changes(limit: int = FEED_SIZE) -> list[PetitionEvent]:
    """The latest public steps of public petitions (submitted, decided, …), newest first."""
    return list(db.session.scalars(
        select(PetitionEvent).join(PetitionEvent.petition)
        .where(PetitionEvent.kind.in_(ANNOUNCED_STEPS),
               Petition.status.in_(sorted(PUBLIC_STATUSES)))
        .options(contains_eager(PetitionEvent.petition))
        .order_by(PetitionEvent.occurred_at.desc(), PetitionEvent.id.desc()).limit(limit)))


def open_across(tenant_ids: tuple[int, ...]) -> list[Petition]:
    """Petitions collecting signatures in any of ``tenant_ids``, closing soonest first (call
    inside ``all_tenants()``)."""
    if not tenant_ids:
        return []
    return list(db.session.scalars(
        select(Petition).where(Petition.status == "collecting", Petition.tenant_id.in_(tenant_ids))
        .order_by(Petition.collection_closes_at.asc().nulls_last(), Petition.id.desc())
        .limit(500)))
