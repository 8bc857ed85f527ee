"""Signers' personal data is blanked some time after their petition closes; counts stay. So
are the co-sponsors' names, and an author's details once every petition the author wrote in
the municipality is past that time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.blueprints.petitions.models import AuthorProfile, Cosponsor, Petition, Signature
from portal.blueprints.petitions.settings import petitions_settings
from portal.extensions import db

#: Default time a closed petition keeps its signers' personal data (about six months); the
#: municipality's ``anonymise_after_days`` setting may say otherwise.
KEEP_FOR = timedelta(days=182)


def keep_for() -> timedelta:
    """How long the current municipality keeps a closed petition's personal data."""
    days = petitions_settings.get("anonymise_after_days")
    return timedelta(days=days) if days else KEEP_FOR


def anonymise_closed(now: datetime, after: timedelta | None = None) -> int:
    """Blank names, contacts, network-address hashes and personal numbers (hash and encrypted
    copy) of the signatures of the current municipality's petitions closed more than ``after``
    before ``now``; flushes.

    The rows stay (counts, confirmation and counting times, paper flag, unit, sampled
    validity), so every count and the verification result still add up. Returns how many
    signatures were anonymised; running it again anonymises none. ``after`` defaults to
    the municipality's setting (``keep_for``).
    """
    after = after or keep_for()
    closed = select(Petition.id).where(Petition.closed_at.is_not(None),
                                       Petition.closed_at <= now - after)
    result = db.session.execute(
        update(Signature)
        .where(Signature.petition_id.in_(closed), Signature.anonymised_at.is_(None))
        .values(full_name="", personal_number_hash=None, personal_number=None, email="",
                email_normalised="", phone="", address_hash=None, anonymised_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount:  # their pages changed (initials of the latest signers): Last-Modified
        db.session.execute(
            update(Petition).where(Petition.id.in_(
                select(Signature.petition_id).where(Signature.anonymised_at == now)))
            .values(updated_at=now).execution_options(synchronize_session=False))
    db.session.execute(
        update(Cosponsor).where(Cosponsor.petition_id.in_(closed), Cosponsor.full_name != "")
        .values(full_name="", user_id=None).execution_options(synchronize_session=False))
    anonymise_authors(now, after)
    db.session.flush()
    return result.rowcount or 0


def anonymise_authors(now: datetime, after: timedelta = KEEP_FOR) -> int:
    """Blank the details of authors all of whose petitions in the current municipality closed
    more than ``after`` before ``now`` (an author with a draft or an open petition keeps
    them); flushes. Returns how many profiles were blanked."""
    long_closed = (Petition.closed_at.is_not(None)) & (Petition.closed_at <= now - after)
    has_petition = select(Petition.author_id).where(Petition.author_id.is_not(None))
    still_needed = select(Petition.author_id).where(Petition.author_id.is_not(None), ~long_closed)
    result = db.session.execute(
        update(AuthorProfile)
        .where(AuthorProfile.user_id.in_(has_petition), AuthorProfile.user_id.not_in(still_needed),
               AuthorProfile.anonymised_at.is_(None))
        .values(first_name="", last_name="", birth_date=None, personal_number_hash=None,
                personal_number=None, phone="", phone_confirmed_at=None, anonymised_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
