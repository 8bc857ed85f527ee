"""Signing: checked fields, one signature per personal number, a confirmation e-mail with a
signed expiring token, confirming once, and only while the petition collects."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import delete, func, insert, select

from portal.blueprints.petitions import personal_numbers, signing
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import aware
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_sign_queues_a_confirmation_and_keeps_the_number_out_of_it(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, phone="555 12 34 56", unit="ცენტრი",
                                 wants_outcome=True,
                                 **signer(1, email="Nino.B+p@GoogleMail.com"))
        assert signature.confirmed_at is None and signature.counted_at is None
        assert signature.email == "Nino.B+p@GoogleMail.com"
        assert signature.email_normalised == "ninob@gmail.com"
        assert signature.phone == "+995555123456" and signature.unit == "ცენტრი"
        assert signature.personal_number == "00000000001"
        assert len(signature.personal_number_hash) == 64
        assert "00000000001" not in signature.personal_number_hash
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"petitions.confirm:{signature.id}")).one()
        assert message.recipient == "Nino.B+p@GoogleMail.com"
        assert petition.title in message.body_text
        for part in (message.subject, message.body_text, message.body_html):
            assert "00000000001" not in part
            assert "https://poti.example.ge/confirm/" not in part or "[redacted]" in part
        assert message.secret_sealed  # the token is kept only encrypted until delivery


def test_a_personal_number_signs_a_petition_once(ctx, poti):
    with tenant_context(poti):
        petition, other = make_petition(), make_petition(title="მეორე")
        signing.sign(petition, now=NOW, **signer(7))
        with force_locale("en"):
            error = refusal(lambda: signing.sign(
                petition, now=NOW, **signer(7, email="someone.else@example.ge",
                                            personal_number="000 0000 0007")))
            assert error.field == "personal_number"
            assert "already signed" in error.message
        with force_locale("ka"):
            error = refusal(lambda: signing.sign(petition, now=NOW, **signer(7)))
            assert "already signed" not in error.message  # the Georgian message
        signing.sign(other, now=NOW, **signer(7))  # another petition: fine
        assert db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.petition_id == petition.id)) == 1


def test_the_database_refuses_a_twin_the_check_missed(ctx, poti):
    # Two requests at once both pass the check; the unique constraint stops the second.
    with tenant_context(poti):
        petition = make_petition()
        first = signing.sign(petition, now=NOW, **signer(8))
        twin = Signature(petition_id=petition.id, full_name="x",
                         personal_number_hash=first.personal_number_hash, email="x@example.ge")
        from sqlalchemy.exc import IntegrityError

        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(twin)


@pytest.mark.parametrize(("change", "field"), [
    ({"personal_number": "1234567890"}, "personal_number"),
    ({"personal_number": "123456789012"}, "personal_number"),
    ({"personal_number": "1234567890a"}, "personal_number"),
    ({"full_name": "   "}, "full_name"),
    ({"email": "not-an-address"}, "email"),
    ({"consent": False}, "consent"),
    ({"phone": "12"}, "phone"),
])
def test_fields_are_checked(ctx, poti, change, field):
    with tenant_context(poti):
        petition = make_petition()
        assert refusal(lambda: signing.sign(petition, now=NOW, **signer(3, **change))).field == field
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


@pytest.mark.parametrize("status", ["draft", "moderation", "submitted", "rejected"])
def test_only_collecting_petitions_accept_signatures(ctx, poti, status):
    with tenant_context(poti):
        petition = make_petition(status=status)
        assert refusal(lambda: signing.sign(petition, now=NOW, **signer(4))).field is None


def test_collection_window(ctx, poti):
    with tenant_context(poti):
        early = make_petition(opens=NOW + timedelta(hours=1))
        late = make_petition(closes=NOW)
        for petition in (early, late):
            refusal(lambda p=petition: signing.sign(p, now=NOW, **signer(5)))


def test_confirm_is_idempotent(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, **signer(9))
        token = signing.confirmation_token(signature, now=NOW)
        assert signing.confirm(token, now=NOW + timedelta(minutes=5)) is signature
        assert signature.confirmed_at == NOW + timedelta(minutes=5)
        signing.confirm(token, now=NOW + timedelta(minutes=9))
        assert signature.confirmed_at == NOW + timedelta(minutes=5)
        assert petition.signature_count == 0  # the counting job adds it


def test_bad_expired_and_foreign_tokens_are_refused(ctx, poti, abasha):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, **signer(10))
        token = signing.confirmation_token(signature, now=NOW)
        for bad in ("", "nonsense", token[:-2] + "xx", token + "x" * 300):
            refusal(lambda b=bad: signing.confirm(b, now=NOW))
        refusal(lambda: signing.confirm(token, now=NOW + signing.CONFIRM_WITHIN
                                        + timedelta(seconds=1)))
    with tenant_context(abasha):
        refusal(lambda: signing.confirm(token, now=NOW))
    with tenant_context(poti):
        assert signature.confirmed_at is None
        signing.confirm(token, now=NOW + signing.CONFIRM_WITHIN - timedelta(seconds=1))
        assert signature.confirmed_at is not None


def test_confirming_after_collection_closed_is_refused(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, **signer(11))
        token = signing.confirmation_token(signature, now=NOW)
        petition.status = "closed_unsuccessful"
        refusal(lambda: signing.confirm(token, now=NOW))
        assert signature.confirmed_at is None


def test_paper_signatures_are_confirmed_and_marked(ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        paper = signing.add_paper_signature(petition, full_name="გიორგი კაპანაძე",
                                            personal_number="01001012345", now=NOW)
        assert paper.is_paper and aware(paper.confirmed_at) == NOW and paper.email == ""
        refusal(lambda: signing.sign(petition, now=NOW,
                                     **signer(1, personal_number="01001012345")))


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="a real race: PostgreSQL")
@pytest.mark.no_db_rollback
def test_a_concurrent_twin_gets_the_friendly_refusal(app, poti):
    # Another request inserts the same personal number and commits while this one signs:
    # this one's insert waits on the unique index, then does nothing: the friendly refusal.
    with app.app_context(), tenant_context(poti):
        petition_id = make_petition().id
        db.session.commit()
        fingerprint = personal_numbers.fingerprint("04004004004")
        other = db.engine.connect()
    try:
        twin = other.begin()
        other.execute(insert(Signature.__table__).values(
            tenant_id=poti.id, petition_id=petition_id, full_name="ტყუპი",
            personal_number_hash=fingerprint, email="", email_normalised="", phone="", unit="",
            is_paper=True, has_consent=True, wants_outcome=False, created_at=NOW,
            is_sampled=False))
        timer = threading.Timer(0.5, twin.commit)
        timer.start()
        with app.app_context(), tenant_context(poti):
            petition = db.session.get(Petition, petition_id)
            error = refusal(lambda: signing.sign(
                petition, now=NOW, **signer(1, personal_number="04004004004")))
            assert error.field == "personal_number"
            db.session.rollback()
        timer.join()
    finally:
        other.close()
        with app.app_context(), tenant_context(poti):
            db.session.execute(delete(Petition).where(Petition.id == petition_id))
            db.session.commit()
            db.session.remove()
