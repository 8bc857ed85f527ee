"""Counting: confirmed signatures reach the public count once each, in batches, under a lock;
reconcile finds counts that differ from confirmed rows."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import delete, text, update

from portal.blueprints.petitions import counting, signing
from portal.blueprints.petitions.models import Petition
from portal.extensions import db
from portal.jobs import REGISTRY
from portal.jobs.runner import run_job
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer


def signed(petition, numbers, confirmed=True):
    rows = [signing.sign(petition, now=NOW, **signer(n)) for n in numbers]
    if confirmed:
        for row in rows:
            signing.confirm(signing.confirmation_token(row, now=NOW), now=NOW)
    return rows


def test_confirmed_signatures_are_counted_once_in_batches(ctx, poti, abasha):
    with tenant_context(abasha):
        theirs = make_petition()
        signed(theirs, [900])
    with tenant_context(poti):
        a, b = make_petition(), make_petition(title="მეორე")
        signed(a, range(1, 8))
        signed(b, range(20, 23))
        signed(a, [50, 51], confirmed=False)
        batches = []
        assert counting.count_confirmed(batch=3, checkpoint=lambda: batches.append(1)) == 10
        assert len(batches) == 4  # 3 + 3 + 3 + 1
        db.session.refresh(a)
        db.session.refresh(b)
        assert (a.signature_count, b.signature_count) == (7, 3)
        assert counting.count_confirmed() == 0  # nothing counted twice
        assert counting.reconcile() == []
    with tenant_context(abasha):
        db.session.refresh(theirs)
        assert theirs.signature_count == 0  # another municipality's job counts it
        assert counting.count_confirmed() == 1


def test_reconcile_reports_a_drifted_count(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signed(petition, range(1, 4))
        counting.count_confirmed()
        db.session.execute(update(Petition).where(Petition.id == petition.id)
                           .values(signature_count=5))
        assert counting.reconcile() == [counting.Mismatch(petition.id, 5, 3)]


def test_the_job_counts_through_the_runner(app, poti):
    # The job as the worker runs it: its own app context and commits. The rollback fixture
    # still undoes everything, since the session is bound to the test's connection.
    with app.app_context(), tenant_context(poti):
        petition = make_petition(closes=None)  # the job's clock is today's
        signed(petition, range(1, 6))
        db.session.commit()
        petition_id = petition.id
    result = run_job(app, REGISTRY_ENTRY("count_signatures"), poti.id, {}, task_id="t-count")
    assert result == "5 counted; collection ended for 0"
    assert run_job(app, REGISTRY_ENTRY("reconcile_signature_counts"), poti.id, {},
                   task_id="t-rec") == "all counts match"
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Petition, petition_id).signature_count == 5


def REGISTRY_ENTRY(name):  # noqa: N802 - reads like the registry lookup it is
    import portal.blueprints.petitions.tasks  # noqa: F401 - registers the jobs

    return REGISTRY[name]


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
@pytest.mark.no_db_rollback
def test_a_second_counter_waits_its_turn_on_postgresql(app, poti):
    with app.app_context():
        other = db.engine.connect()
        try:
            with other.begin():
                other.execute(text("SELECT pg_advisory_xact_lock(:c, :t)"),
                              {"c": counting.LOCK_CLASS, "t": poti.id})
                with tenant_context(poti):
                    assert counting.take_lock() is False
                    assert counting.count_confirmed() is None
                db.session.rollback()
            with tenant_context(poti):
                assert counting.take_lock() is True
            db.session.rollback()
        finally:
            other.close()
            db.session.remove()


@pytest.mark.no_db_rollback
def test_two_counters_at_once_count_each_signature_once(app, poti):
    with app.app_context(), tenant_context(poti):
        petition = make_petition()
        for n in range(1, 301):
            signing.add_paper_signature(petition, full_name=f"ხელმომწერი {n}",
                                        personal_number=f"{n:011d}", now=NOW)
        db.session.commit()
        petition_id = petition.id
        db.session.remove()
    results, errors = [], []
    start = threading.Barrier(2)

    def counter():
        try:
            with app.app_context(), tenant_context(poti):
                start.wait()
                results.append(counting.count_confirmed(batch=25, checkpoint=db.session.commit))
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=counter) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        assert sum(r or 0 for r in results) == 300
        with app.app_context(), tenant_context(poti):
            assert db.session.get(Petition, petition_id).signature_count == 300
            assert counting.reconcile() == []
            db.session.remove()
    finally:
        with app.app_context(), tenant_context(poti):
            db.session.execute(delete(Petition).where(Petition.id == petition_id))
            db.session.commit()
            db.session.remove()
