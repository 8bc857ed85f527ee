"""The clerk's verification: a reproducible random sample, each sampled signature marked valid
or invalid, and what the sample implies (``stats.estimate``)."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.blueprints.petitions import stats
from portal.blueprints.petitions.models import VALIDITIES, Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError


def population_ids(petition: Petition) -> list[int]:
    """The ids of the petition's confirmed signatures (what the public count counts), sorted."""
    return list(db.session.scalars(
        select(Signature.id).where(Signature.petition_id == petition.id,
                                   Signature.confirmed_at.is_not(None),
                                   Signature.invalidated_at.is_(None)).order_by(Signature.id)))


def draw_sample(petition: Petition, share: float, *, seed: int | None = None,
                actor=None) -> list[int]:
    """Draw ``share`` of the confirmed signatures with a recorded seed (a new random one unless
    given) and mark them sampled; flushes, audit-logged. Drawing again replaces the sample.

    The same signatures and seed give the same sample (``stats.draw``), so anyone holding the
    seed can check the clerk's draw. Raises DomainError for a share outside (0, 1]."""
    if not 0 < share <= 1:
        raise DomainError(_l("The sample is a share between 1% and 100%."), field="share")
    seed = secrets.randbelow(2**31) if seed is None else seed
    ids = population_ids(petition)
    chosen = stats.draw(ids, stats.sample_size(len(ids), share), seed)
    db.session.execute(
        update(Signature).where(Signature.petition_id == petition.id)
        .values(is_sampled=False, validity=None).execution_options(synchronize_session=False))
    if chosen:
        db.session.execute(
            update(Signature).where(Signature.id.in_(chosen))
            .values(is_sampled=True).execution_options(synchronize_session=False))
    petition.sample_seed, petition.sample_size = seed, len(chosen)
    petition.sample_population = len(ids)
    audit.record("petitions.sample_drawn", target=f"petition:{petition.id}",
                 after={"seed": seed, "sample": len(chosen), "population": len(ids)},
                 actor=actor)
    db.session.flush()
    return chosen


def mark(signature: Signature, validity: str, *, actor=None) -> None:
    """Record what the clerk found for a sampled signature; flushes, audit-logged."""
    if validity not in VALIDITIES or not signature.is_sampled:
        raise DomainError(_l("Only a sampled signature can be marked valid or invalid."))
    before = signature.validity
    signature.validity = validity
    # The public page shows the result once the sample is marked: its Last-Modified moves.
    db.session.execute(update(Petition).where(Petition.id == signature.petition_id)
                       .values(updated_at=utcnow()))
    audit.record("petitions.signature_checked", target=f"signature:{signature.id}",
                 before={"validity": before}, after={"validity": validity}, actor=actor)
    db.session.flush()


def result(petition: Petition) -> stats.SampleEstimate | None:
    """What the sample implies once every sampled signature is marked; None before that."""
    return results([petition]).get(petition.id)


def results(petitions: list[Petition]) -> dict[int, stats.SampleEstimate]:
    """``result`` of each of ``petitions`` whose sample is wholly marked, by id, in one
    grouped query (none when no petition has a sample)."""
    drawn = {p.id: p for p in petitions if p.sample_size and p.sample_population}
    if not drawn:
        return {}
    marks: dict[int, dict[str | None, int]] = {}
    for petition_id, validity, count in db.session.execute(
            select(Signature.petition_id, Signature.validity, func.count())
            .where(Signature.petition_id.in_(drawn), Signature.is_sampled.is_(True))
            .group_by(Signature.petition_id, Signature.validity)):
        marks.setdefault(petition_id, {})[validity] = count
    return {pid: stats.estimate(p.sample_population, p.sample_size,
                                marks[pid].get("invalid", 0), p.threshold)
            for pid, p in drawn.items()
            if pid in marks and not marks[pid].get(None)}
