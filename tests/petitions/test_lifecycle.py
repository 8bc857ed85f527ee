"""A petition's statuses, its dated timeline, and the threshold from the newest voter count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.petitions import lifecycle, voters
from portal.blueprints.petitions.models import (
    FORMS,
    REJECTION_REASONS,
    STATUSES,
    PetitionEvent,
    VoterCount,
)
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition


def timeline(petition):
    return db.session.execute(
        select(PetitionEvent.kind, PetitionEvent.from_status, PetitionEvent.occurred_at)
        .where(PetitionEvent.petition_id == petition.id).order_by(PetitionEvent.id)).all()


@pytest.mark.parametrize(("voters_", "threshold"), [(20_013, 201), (20_000, 200), (1, 1),
                                                    (19_999, 200), (100, 1), (101, 2)])
def test_threshold_is_one_per_cent_rounded_up(voters_, threshold):
    assert voters.threshold_for(voters_) == threshold


def test_the_newest_count_sets_the_threshold_per_municipality(ctx, poti, abasha):
    with tenant_context(abasha):
        voters.set_voter_count(20_013, date(2022, 6, 21))
        assert voters.current_threshold() == 201
    with tenant_context(poti):
        assert voters.current_threshold() is None
        voters.set_voter_count(40_000, date(2024, 1, 1))
        voters.set_voter_count(39_000, date(2023, 1, 1))
        assert voters.current_threshold() == 400
        voters.set_voter_count(41_050, date(2024, 1, 1))  # that date corrected
        assert voters.current_threshold() == 411
        assert db.session.scalar(select(db.func.count()).select_from(VoterCount)) == 2
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.tenant_id == poti.id, AuditEntry.action == "petitions.voter_count_set"))
        assert len(actions.all()) == 3
        for bad in (0, -5, 1.5):
            with pytest.raises(DomainError):
                voters.set_voter_count(bad, date(2024, 2, 1))
        with pytest.raises(DomainError):
            voters.set_voter_count(10, date.today() + timedelta(days=1))


def test_from_draft_to_decision_with_a_dated_timeline(ctx, poti):
    with tenant_context(poti):
        voters.set_voter_count(20_013, date(2022, 6, 21))
        petition = make_petition(status="draft", opens=None, closes=None, threshold=None)
        lifecycle.move(petition, "moderation", now=NOW)
        lifecycle.move(petition, "changes_requested", note="დააზუსტეთ", now=NOW)
        lifecycle.move(petition, "moderation", now=NOW)
        lifecycle.publish(petition, now=NOW, days=30)
        assert petition.threshold == 201
        assert petition.collection_closes_at == NOW + timedelta(days=30)
        assert lifecycle.is_collecting(petition, NOW)
        assert not lifecycle.is_collecting(petition, NOW + timedelta(days=30))
        lifecycle.move(petition, "submitted", now=NOW + timedelta(days=3))
        assert petition.closed_at == NOW + timedelta(days=3)
        lifecycle.move(petition, "on_agenda", now=NOW + timedelta(days=9))
        lifecycle.move(petition, "decided", note="მიღებულია", now=NOW + timedelta(days=20))
        assert [(k, f) for k, f, _ in timeline(petition)] == [
            ("moderation", "draft"), ("changes_requested", "moderation"),
            ("moderation", "changes_requested"), ("collecting", "moderation"),
            ("submitted", "collecting"), ("on_agenda", "submitted"), ("decided", "on_agenda")]
        with pytest.raises(DomainError):
            lifecycle.move(petition, "collecting")
        audited = db.session.scalars(select(AuditEntry.after).where(
            AuditEntry.action == "petitions.status_changed",
            AuditEntry.target == f"petition:{petition.id}")).all()
        assert [a["status"] for a in audited] == ["changes_requested", "collecting", "submitted",
                                                   "on_agenda", "decided"]  # not the author's


def test_the_collection_period_is_the_municipality_s_setting(ctx, poti, abasha):
    from portal.blueprints.petitions.settings import petitions_settings

    with tenant_context(abasha):
        voters.set_voter_count(20_013, date(2022, 6, 21))
        petitions_settings.set_many({"collection_days": 45})
        theirs = make_petition(status="moderation")
        lifecycle.publish(theirs, now=NOW, notify=False)
        assert theirs.collection_closes_at == NOW + timedelta(days=45)
    with tenant_context(poti):
        voters.set_voter_count(40_000, date(2024, 1, 1))
        ours = make_petition(status="moderation")
        lifecycle.publish(ours, now=NOW, notify=False)
        assert ours.collection_closes_at == NOW + timedelta(days=30)  # the default


def test_publishing_needs_a_voter_count(ctx, poti):
    with tenant_context(poti):
        petition = make_petition(status="moderation")
        with pytest.raises(DomainError):
            lifecycle.publish(petition, now=NOW)
        assert petition.status == "moderation"


def test_rejection_needs_a_listed_reason(ctx, poti):
    with tenant_context(poti):
        petition = make_petition(status="moderation")
        with pytest.raises(DomainError) as caught:
            lifecycle.reject(petition, "boring")
        assert caught.value.field == "reason" and petition.status == "moderation"
        lifecycle.reject(petition, "outside_competence", note="ეს მთავრობის საქმეა", now=NOW)
        assert (petition.status, petition.rejection_reason, petition.closed_at) == (
            "rejected", "outside_competence", NOW)


@pytest.mark.parametrize("status", ["draft", "moderation", "changes_requested"])
def test_nothing_skips_moderation(ctx, poti, status):
    with tenant_context(poti):
        petition = make_petition(status=status)
        for target in ("submitted", "decided", "on_agenda"):
            with pytest.raises(DomainError):
                lifecycle.move(petition, target)


def test_every_status_form_and_reason_has_a_label():
    assert set(lifecycle.TRANSITIONS) == set(STATUSES) == set(lifecycle.STATUS_LABELS)
    assert set(FORMS) == set(lifecycle.FORM_LABELS)
    assert set(REJECTION_REASONS) == set(lifecycle.REJECTION_LABELS)
    for targets in lifecycle.TRANSITIONS.values():
        assert set(targets) <= set(STATUSES)


def test_collection_ends_when_the_threshold_is_reached_or_time_runs_out(ctx, poti, abasha):
    with tenant_context(abasha):
        theirs = make_petition(threshold=1, signature_count=5)
    with tenant_context(poti):
        reached = make_petition(threshold=3, signature_count=3)
        short = make_petition(threshold=3, signature_count=2, closes=NOW)
        running = make_petition(threshold=3, signature_count=2)
        done = make_petition(status="submitted", threshold=3, signature_count=9)
        moved = lifecycle.close_due(NOW)
        assert moved == [reached, short]
        assert (reached.status, short.status, running.status, done.status) == (
            "submitted", "closed_unsuccessful", "collecting", "submitted")
        assert reached.closed_at == short.closed_at == NOW
        assert [k for k, _, _ in timeline(short)] == ["closed_unsuccessful"]
        assert lifecycle.close_due(NOW) == []
        assert lifecycle.close_due(NOW + timedelta(days=29)) == [running]
    with tenant_context(abasha):
        assert theirs.status == "collecting"
