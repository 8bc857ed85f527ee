"""Bursts of signatures: grouped by network-address hash or e-mail domain per 10-minute
window; a moderator invalidates one, audited with counts, and the public count follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.petitions import bursts, counting, signing
from portal.blueprints.petitions.models import Petition, Signature
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition as committed_petition
from tests.petitions.conftest import NOW, make_petition, signer
from tests.staff_fixtures import signed_in

SLOT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _rows(petition, n, *, domain="bot.example", address=None, at=SLOT, start=0):
    for i in range(start, start + n):
        db.session.add(Signature(
            petition_id=petition.id, full_name=f"სახელი {i}", personal_number_hash=f"h-{i}",
            email=f"u{i}@{domain}", email_normalised=f"u{i}@{domain}", has_consent=True,
            address_hash=address, created_at=at + timedelta(seconds=i), confirmed_at=at))
    db.session.flush()


def test_signing_keeps_only_a_keyed_hash_of_the_network_address(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, network_address="198.51.100.7", **signer(1))
        assert signature.address_hash and len(signature.address_hash) == 64
        assert "198.51.100.7" not in signature.address_hash
        other = signing.sign(petition, now=NOW, network_address="198.51.100.7", **signer(2))
        assert other.address_hash == signature.address_hash


def test_bursts_group_by_address_and_domain_per_window(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        _rows(petition, 4, domain="bot.example", address="a" * 64)
        _rows(petition, 3, domain="bot.example", start=10, at=SLOT + timedelta(minutes=10))
        _rows(petition, 2, domain="gmail.com", start=20)
        found = bursts.find(petition, at_least=3)
        assert [(b.kind, b.source, b.size) for b in found] == [
            ("address", "a" * 64, 4), ("domain", "bot.example", 4), ("domain", "bot.example", 3)]
        assert found[0].starts_at == SLOT and found[2].starts_at == SLOT + timedelta(minutes=10)
        assert bursts.find(petition) == []  # the default size is larger


def test_invalidating_a_burst_leaves_the_count_and_reconcile_agrees(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        _rows(petition, 5, domain="bot.example")
        _rows(petition, 2, domain="example.ge", start=50)
        counting.count_confirmed()
        db.session.refresh(petition)
        assert petition.signature_count == 7
        _rows(petition, 1, domain="bot.example", start=5)  # confirmed, not counted yet
        [burst] = bursts.find(petition, at_least=3)
        assert bursts.invalidate(petition, burst.key) == 6
        assert petition.signature_count == 2
        counting.count_confirmed()
        db.session.refresh(petition)
        assert petition.signature_count == 2 and counting.reconcile() == []
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "petitions.burst_invalidated")).one()
        assert entry.before == {"signature_count": 7}
        assert entry.after["invalidated"] == 6 and entry.after["counted"] == 5
        assert entry.after["signature_count"] == 2
        with pytest.raises(DomainError):  # gone once invalidated
            bursts.invalidate(petition, burst.key)
        with pytest.raises(DomainError):
            bursts.invalidate(petition, "nonsense")


BASE = "/poti/admin/petitions/moderation"


@pytest.fixture
def moderator(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["moderator"]))
    client.set_cookie("lang", "en")
    return client


def _burst_petition(app, tenant):
    pid = committed_petition(app, tenant, status="collecting")
    with app.app_context(), tenant_context(tenant):
        petition = db.session.get(Petition, pid)
        _rows(petition, 12, domain="bot.example")
        counting.count_confirmed()
        db.session.commit()
        [burst] = bursts.find(petition)
        return pid, burst.key


def test_a_moderator_sees_and_invalidates_a_burst(app, poti, moderator):
    pid, key = _burst_petition(app, poti)
    page = moderator.get(f"{BASE}/{pid}/bursts")
    assert page.status_code == 200
    assert "E-mail domain bot.example" in page.text and key in page.text
    assert " or more. Public count: " in page.text  # two sentences, not one run together
    response = moderator.post(f"{BASE}/{pid}/bursts",
                              data={"csrf_token": csrf_token(page.text), "burst": key})
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Petition, pid).signature_count == 0
    public = app.test_client().get(f"/poti/petitions/{pid}/count.json").get_json()
    assert 0 in public.values()
    again = moderator.post(f"{BASE}/{pid}/bursts",
                           data={"csrf_token": csrf_token(page.text), "burst": key})
    assert again.status_code == 422 and "no longer there" in again.text


def test_poti_moderator_cannot_see_or_invalidate_abashas_bursts(app, poti, abasha, moderator):
    pid, key = _burst_petition(app, abasha)
    token = csrf_token(moderator.get(f"{BASE}/").text)
    assert moderator.get(f"{BASE}/{pid}/bursts").status_code == 404
    assert moderator.post(f"{BASE}/{pid}/bursts",
                          data={"csrf_token": token, "burst": key}).status_code == 404
    assert moderator.get(f"/abasha/admin/petitions/moderation/{pid}/bursts").status_code == 403
    with app.app_context(), tenant_context(abasha):
        assert db.session.get(Petition, pid).signature_count == 12


def test_a_clerk_without_moderation_gets_403(app, staff, poti):
    pid, _key = _burst_petition(app, poti)
    clerk = app.test_client()
    signed_in(clerk, staff(poti, ["clerk"]))
    assert clerk.get(f"{BASE}/{pid}/bursts").status_code == 403


def test_every_change_to_the_page_s_signatures_moves_its_last_modified(ctx, poti):
    """The page's Last-Modified is its row's (no aggregate over the signatures runs on a
    visit): counting, a burst's invalidation, even of uncounted ones, and anonymisation
    touch the row."""
    from portal.blueprints.petitions import anonymise, queries

    long_ago = datetime(2026, 1, 1, tzinfo=UTC)

    def changed() -> datetime:
        db.session.expire_all()  # a request's session is new: no row kept from before
        return queries.public_petition_changed(petition.id)[1]

    def age() -> None:
        db.session.execute(Petition.__table__.update().where(Petition.id == petition.id)
                           .values(updated_at=long_ago, created_at=long_ago))
        db.session.expire_all()

    with tenant_context(poti):
        petition = make_petition()
        _rows(petition, 4, domain="bot.example")
        age()
        assert changed() == long_ago
        counting.count_confirmed()
        assert changed() > long_ago
        _rows(petition, 3, domain="late.example", start=10)  # confirmed, not counted
        age()
        [burst] = [b for b in bursts.find(petition, at_least=3) if b.source == "late.example"]
        bursts.invalidate(petition, burst.key)
        assert changed() > long_ago
        petition.closed_at = datetime(2026, 2, 1, tzinfo=UTC)
        db.session.flush()
        age()
        assert anonymise.anonymise_closed(datetime(2026, 12, 1, tzinfo=UTC)) == 7
        assert changed() > long_ago
