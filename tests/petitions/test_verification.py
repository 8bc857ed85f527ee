"""The clerk's sample: drawn reproducibly with a recorded seed, marked, and estimated."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from portal.blueprints.petitions import signing, stats, verification
from portal.blueprints.petitions.models import Signature
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer


def confirmed_petition(count: int, threshold: int = 20):
    petition = make_petition(threshold=threshold)
    for n in range(1, count + 1):
        signing.add_paper_signature(petition, full_name=f"ხელმომწერი {n}",
                                    personal_number=f"{n:011d}", now=NOW)
    signing.sign(petition, now=NOW, **signer(999))  # unconfirmed: not in the population
    return petition


def sampled(petition):
    return list(db.session.scalars(select(Signature.id).where(
        Signature.petition_id == petition.id, Signature.is_sampled.is_(True))
        .order_by(Signature.id)))


def test_the_draw_is_recorded_and_reproducible(ctx, poti):
    with tenant_context(poti):
        petition = confirmed_petition(40)
        chosen = verification.draw_sample(petition, 0.2, seed=424242)
        ids = verification.population_ids(petition)
        assert len(ids) == 40 and len(chosen) == 8
        assert chosen == sorted(random.Random(424242).sample(ids, 8)) == sampled(petition)
        assert (petition.sample_seed, petition.sample_size, petition.sample_population) == (
            424242, 8, 40)
        again = verification.draw_sample(petition, 0.2)  # a new random seed, a new sample
        assert sampled(petition) == again
        assert verification.draw_sample(petition, 0.2, seed=424242) == chosen
        with pytest.raises(DomainError):
            verification.draw_sample(petition, 0)


def test_marks_give_the_estimate(ctx, poti):
    with tenant_context(poti):
        petition = confirmed_petition(40, threshold=20)
        chosen = verification.draw_sample(petition, 0.25, seed=7)
        assert verification.result(petition) is None  # nothing marked yet
        rows = [db.session.get(Signature, i) for i in chosen]
        for row in rows[:2]:
            verification.mark(row, "invalid")
        for row in rows[2:]:
            verification.mark(row, "valid")
        result = verification.result(petition)
        assert result == stats.estimate(40, 10, 2, threshold=20)
        assert result.estimated_valid == 32 and result.reached
        outsider = db.session.scalars(select(Signature).where(
            Signature.petition_id == petition.id, Signature.is_sampled.is_(False))).first()
        with pytest.raises(DomainError):
            verification.mark(outsider, "valid")
        with pytest.raises(DomainError):
            verification.mark(rows[0], "maybe")
