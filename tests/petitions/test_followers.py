"""Followers hear of every status change through the outbox: the author, signers who asked
for the outcome, the clerks when collection ends, the moderators when an author submits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.petitions import authoring, followers, lifecycle, signing
from portal.blueprints.petitions.models import PetitionEvent
from portal.delivery.models import OutboxMessage
from portal.delivery.worker import drain
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.delivery.conftest import delivery_config, sms_server, smtp  # noqa: F401
from tests.petitions.authors import confirmed_profile
from tests.petitions.conftest import NOW, make_petition, signer
from tests.staff_fixtures import make_staff


def _mail():
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.like("petitions.status:%")).order_by(OutboxMessage.id)).all()


@pytest.fixture
def people(app, poti, abasha):
    author = make_staff(app, None, [], kind="citizen", password=None, enrolled=False,
                        email="author@example.ge")
    return {
        "author": author,
        "clerk": make_staff(app, poti, ["clerk"], email="clerk@poti.example.ge"),
        "admin": make_staff(app, poti, ["admin"], email="admin@poti.example.ge"),
        "moderator": make_staff(app, poti, ["moderator"], email="mod@poti.example.ge"),
        "abasha_clerk": make_staff(app, abasha, ["clerk", "moderator"],
                                   email="clerk@abasha.example.ge"),
    }


def _signed(petition, n, *, confirm=True, **values):
    signature = signing.sign(petition, now=NOW, **signer(n, **values))
    if confirm:
        signature.confirmed_at = NOW
    db.session.flush()
    return signature


def test_reaching_the_threshold_tells_author_signers_and_clerks_once_each(ctx, poti, people):
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, threshold=2)
        _signed(petition, 1, wants_outcome=True, email="Nino.B+p@GoogleMail.com")
        _signed(petition, 2, wants_outcome=True, email="ninob@gmail.com")  # the same inbox
        _signed(petition, 3, wants_outcome=True, email="late@example.ge", confirm=False)
        _signed(petition, 4, email="quiet@example.ge")
        _signed(petition, 5, wants_outcome=True, email="AUTHOR@example.ge")  # the author again
        petition.signature_count = 2
        [moved] = lifecycle.close_due(now=NOW)
        assert moved.status == "submitted"
        mail = _mail()
        assert sorted(m.recipient for m in mail) == [
            "Nino.B+p@GoogleMail.com", "admin@poti.example.ge", "author@example.ge",
            "clerk@poti.example.ge"]
        for message in mail:
            assert message.locale == "ka"
            for part in (message.subject, message.body_text, message.body_html):
                for n in (1, 2, 5):
                    assert f"{n:011d}" not in part
            assert "http://poti.gov.ge/" in message.body_text
        staff = {m.recipient: m.body_text for m in mail}
        assert f"http://poti.gov.ge/admin/petitions/{petition.id}" in staff["clerk@poti.example.ge"]
        assert f"http://poti.gov.ge/petitions/{petition.id}" in staff["author@example.ge"]
        # Telling again changes nothing: one message per recipient per timeline entry.
        event = db.session.scalars(select(PetitionEvent).where(
            PetitionEvent.petition_id == petition.id)).one()
        followers.status_changed(petition, event)
        assert len(_mail()) == 4


def test_a_collection_closing_short_tells_the_clerks(ctx, poti, people):
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, threshold=50)
        petition.signature_count = 3
        lifecycle.close_due(now=NOW + timedelta(days=30))
        assert petition.status == "closed_unsuccessful"
        assert sorted(m.recipient for m in _mail()) == [
            "admin@poti.example.ge", "author@example.ge", "clerk@poti.example.ge"]
        assert "3" in _mail()[0].body_text


def test_the_sakrebulo_steps_tell_author_and_signers_not_clerks(ctx, poti, people):
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, status="submitted")
        petition.status = "collecting"
        _signed(petition, 8, wants_outcome=True, email="follower@example.ge")
        petition.status = "submitted"
        lifecycle.move(petition, "on_agenda", note="სხდომა 12 მარტს")
        lifecycle.move(petition, "decided", note="მხარი დაუჭირა")
        mail = _mail()
        assert sorted(m.recipient for m in mail) == ["author@example.ge"] * 2 + [
            "follower@example.ge"] * 2
        assert any("მხარი დაუჭირა" in m.body_text for m in mail)


def test_an_authors_submission_tells_this_municipalitys_moderators(app, ctx, poti, people):
    confirmed_profile(app, poti, people["author"].id)  # identity.py: details before submitting
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, status="draft")
        authoring.submit(petition, people["author"])
        mail = _mail()
        assert sorted(m.recipient for m in mail) == ["admin@poti.example.ge",
                                                     "mod@poti.example.ge"]
        assert f"http://poti.gov.ge/admin/petitions/moderation/{petition.id}" in mail[0].body_text


def test_moderation_steps_tell_the_author_only(ctx, poti, people):
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, status="moderation")
        lifecycle.reject(petition, "offensive", note="შეურაცხმყოფელი")
        [message] = _mail()
        assert message.recipient == "author@example.ge"
        assert "შეურაცხმყოფელი" in message.body_text
        # The author's own page of the petition, not the municipality's home page.
        assert f"http://poti.gov.ge/petitions/mine/{petition.id}" in message.body_text


def test_the_message_arrives_by_smtp(ctx, poti, people, delivery_config, smtp):  # noqa: F811
    with tenant_context(poti):
        petition = make_petition(author_id=people["author"].id, status="submitted")
        lifecycle.move(petition, "on_agenda")
        db.session.commit()
        drain()
    [received] = smtp.messages
    assert received["To"] == "author@example.ge"
    assert f"http://poti.gov.ge/petitions/{petition.id}" in received.get_body(
        ("plain",)).get_content()


def test_each_person_hears_in_their_own_language(ctx, poti, people):
    """A signer hears in the language they signed in, the author and staff in the one they
    last used signed in; the municipality's own when unknown (paper, older signatures)."""
    with tenant_context(poti):
        from portal.blueprints.accounts.models import User

        for who in ("author", "clerk"):
            db.session.get(User, people[who].id).locale = "en"
        petition = make_petition(author_id=people["author"].id, threshold=2)
        english = signing.sign(petition, now=NOW, **signer(
            1, wants_outcome=True, email="en@example.ge", locale="en"))
        georgian = signing.sign(petition, now=NOW, **signer(
            2, wants_outcome=True, email="ka@example.ge", locale="ka"))
        unknown = signing.sign(petition, now=NOW,
                               **signer(3, wants_outcome=True, email="old@example.ge"))
        unknown.locale = None  # signed before the portal kept the language
        for signature in (english, georgian, unknown):
            signature.confirmed_at = NOW
        petition.signature_count = 3
        db.session.flush()
        lifecycle.close_due(now=NOW)
        spoken = {m.recipient: (m.locale, m.subject) for m in _mail()}
        assert spoken["en@example.ge"] == ("en", "A petition reached its threshold")
        assert spoken["author@example.ge"][0] == spoken["clerk@poti.example.ge"][0] == "en"
        assert spoken["ka@example.ge"][0] == spoken["old@example.ge"][0] == "ka"
        assert spoken["admin@poti.example.ge"][0] == "ka"
        assert spoken["ka@example.ge"][1] != "A petition reached its threshold"


def test_signing_in_and_the_language_switch_keep_the_person_s_language(app, poti, people):
    from portal.blueprints.accounts import login_as
    from portal.blueprints.accounts.models import User
    from tests.staff_fixtures import signed_in

    with app.test_request_context("/poti/", headers={"Cookie": "lang=en"}):
        app.preprocess_request()
        user = db.session.get(User, people["author"].id)
        login_as(user)
        db.session.commit()
        assert user.locale == "en"
    client = app.test_client()
    signed_in(client, people["clerk"])
    # The language form is a GET: a link from another site changes the browser's cookie only,
    # never what is stored for the person; the portal's own form stores it.
    cross_site = client.get("/language?lang=en&next=/poti/", headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 303
    with app.app_context():
        assert db.session.get(User, people["clerk"].id).locale != "en"
    assert client.get("/language?lang=en&next=/poti/",
                      headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303
    with app.app_context():
        assert db.session.get(User, people["clerk"].id).locale == "en"
    anonymous = app.test_client()  # nobody signed in: only the cookie, nothing stored
    assert anonymous.get("/language?lang=en&next=/poti/").status_code == 303
