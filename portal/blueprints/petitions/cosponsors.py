"""Co-sponsors: citizens who join a petition before it is published, through the author's
private link. Flushes, never commits.

The link's token is the petition's id and its ``cosponsor_key`` signed with the app's secret
(itsdangerous), so it cannot be made up; a new key (``new_link``) makes every earlier link
stop working. Joining is possible while the petition is a draft, awaits moderation or awaits
the author's changes, up to ``MAX_COSPONSORS`` people, never the author.
"""

from __future__ import annotations

import hmac
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from portal.blueprints.petitions.models import Cosponsor, Petition
from portal.extensions import db
from portal.services.errors import DomainError

#: The statuses in which people may join (and the author may remove them).
OPEN = frozenset({"draft", "moderation", "changes_requested"})
MAX_COSPONSORS = 20
_SALT = "petitions.cosponsor-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def new_link(petition: Petition, author) -> str:
    """Give the petition a new link secret (earlier links stop working); return the token."""
    _check_author(petition, author)
    petition.cosponsor_key = secrets.token_urlsafe(24)
    db.session.flush()
    return token(petition)


def token(petition: Petition) -> str | None:
    """The token of the petition's current private link, or None before one was made."""
    if not petition.cosponsor_key:
        return None
    return _serializer().dumps([petition.id, petition.cosponsor_key])


def token_matches(petition: Petition, value: str) -> bool:
    """Whether ``value`` is the token of this petition's current link."""
    if not petition.cosponsor_key:
        return False
    try:
        petition_id, key = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return False
    return petition_id == petition.id and isinstance(key, str) and hmac.compare_digest(
        key.encode(), petition.cosponsor_key.encode())


def cosponsors_of(petition: Petition) -> list[Cosponsor]:
    return list(db.session.scalars(select(Cosponsor).where(Cosponsor.petition_id == petition.id)
                                   .order_by(Cosponsor.created_at, Cosponsor.id)))


def public_names(petition: Petition) -> list[str]:
    """The names shown on the public page (none once anonymised)."""
    return [c.full_name for c in cosponsors_of(petition) if c.full_name]


def has_joined(petition: Petition, user) -> bool:
    return db.session.scalar(select(Cosponsor.id).where(
        Cosponsor.petition_id == petition.id, Cosponsor.user_id == user.id)) is not None


def join(petition: Petition, user, *, full_name: str) -> Cosponsor:
    """Add ``user`` as a co-sponsor under ``full_name``.

    Raises DomainError when the petition no longer takes co-sponsors, ``user`` is its
    author or already joined, the list is full, or the name is empty.
    """
    if petition.status not in OPEN:
        raise DomainError(_l("This petition no longer takes co-sponsors."))
    if petition.author_id == user.id:
        raise DomainError(_l("You are the author of this petition; authors cannot co-sponsor "
                             "their own."))
    if has_joined(petition, user):
        raise DomainError(_l("You already co-sponsor this petition."))
    count = db.session.scalar(select(func.count(Cosponsor.id))
                              .where(Cosponsor.petition_id == petition.id))
    if count >= MAX_COSPONSORS:
        raise DomainError(_l("This petition already has %(n)s co-sponsors, the most it can have.",
                             n=MAX_COSPONSORS))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError(_l("Enter your first and last name."), field="full_name")
    cosponsor = Cosponsor(petition_id=petition.id, user_id=user.id, full_name=full_name[:200])
    db.session.add(cosponsor)
    db.session.flush()
    return cosponsor


def remove(petition: Petition, author, cosponsor: Cosponsor) -> None:
    """The author takes a co-sponsor off the list (while people may still join)."""
    _check_author(petition, author)
    if cosponsor.petition_id != petition.id:
        raise DomainError(_l("This person is not a co-sponsor of this petition."))
    db.session.delete(cosponsor)
    db.session.flush()


def cosponsored_by(user) -> list[Petition]:
    """Petitions of the current municipality that ``user`` co-sponsors, newest first."""
    return list(db.session.scalars(
        select(Petition).join(Cosponsor, Cosponsor.petition_id == Petition.id)
        .where(Cosponsor.user_id == user.id)
        .order_by(Petition.created_at.desc(), Petition.id.desc())))


def _check_author(petition: Petition, author) -> None:
    if petition.author_id != author.id:
        raise DomainError(_l("Only the petition's author can do this."))
    if petition.status not in OPEN:
        raise DomainError(_l("This petition no longer takes co-sponsors."))
