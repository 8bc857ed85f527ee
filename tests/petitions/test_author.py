"""The author's side: write, save a draft, send for moderation, change after the moderators
asked for changes; only the author sees their petition."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, update

from portal.blueprints.petitions.models import Petition, PetitionEvent
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition
from tests.petitions.authors import confirmed_profile
from tests.staff_fixtures import make_staff, signed_in

BASE = "/poti/petitions/mine"
VALUES = {"title": "ქუჩის განათება", "form": "request_to_discuss",
          "text": "ჭავჭავაძის ქუჩა ბნელია.", "requested_action": "დაამონტაჟოს სანათები"}


def _citizen(app, email):
    user = make_staff(app, None, [], kind="citizen", password=None, enrolled=False, email=email)
    client = app.test_client()
    signed_in(client, user)
    client.set_cookie("lang", "en")
    return user, client


@pytest.fixture
def author(app, poti):
    """A citizen whose author details are complete and confirmed (identity.py)."""
    user, client = _citizen(app, "author@example.ge")
    confirmed_profile(app, poti, user.id)
    return user, client


def _post(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client.get(f"{BASE}/new").text)})


def _petitions(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Petition).order_by(Petition.id)).all()


def test_signed_out_visitors_are_sent_to_the_sign_in_link(app, client, poti):
    response = client.get(f"{BASE}/")
    assert response.status_code == 303 and "/poti/accounts/link" in response.location


def test_draft_saved_then_sent_for_moderation(app, poti, author):
    user, client = author
    response = _post(client, f"{BASE}/new", {**VALUES, "action": "draft"})
    assert response.status_code == 303
    [petition] = _petitions(app, poti)
    assert (petition.status, petition.author_id, petition.title) == ("draft", user.id, "ქუჩის განათება")
    assert "ქუჩის განათება" in client.get(f"{BASE}/").text
    sent = _post(client, f"{BASE}/{petition.id}", {**VALUES, "action": "submit"})
    assert sent.status_code == 303
    [petition] = _petitions(app, poti)
    assert petition.status == "moderation"
    page = client.get(f"{BASE}/{petition.id}").text
    assert "can no longer be changed" in page


def test_sending_needs_the_text_and_the_request(app, poti, author):
    _user, client = author
    response = _post(client, f"{BASE}/new", {**VALUES, "requested_action": "", "action": "submit"})
    assert response.status_code == 422
    assert "Write the text and what the Sakrebulo is asked to do" in response.text
    assert _petitions(app, poti) == []


def test_changes_requested_shows_the_note_and_can_be_sent_again(app, poti, author):
    user, client = author
    pid = make_petition(app, poti, status="changes_requested", author_id=user.id)
    with app.app_context(), tenant_context(poti):
        db.session.add(PetitionEvent(petition_id=pid, kind="changes_requested",
                                     from_status="moderation", note="დააზუსტეთ ქუჩა"))
        db.session.commit()
    assert "დააზუსტეთ ქუჩა" in client.get(f"{BASE}/{pid}").text
    response = _post(client, f"{BASE}/{pid}", {**VALUES, "title": "ახალი სათაური", "action": "submit"})
    assert response.status_code == 303
    [petition] = _petitions(app, poti)
    assert (petition.status, petition.title) == ("moderation", "ახალი სათაური")


def test_someone_elses_or_another_municipalitys_petition_is_404(app, poti, abasha, author):
    _user, client = author
    other, _ = _citizen(app, "other@example.ge")
    theirs = make_petition(app, poti, status="draft", author_id=other.id)
    abashas = make_petition(app, abasha, status="draft")
    assert client.get(f"{BASE}/{theirs}").status_code == 404
    assert _post(client, f"{BASE}/{theirs}", {**VALUES, "action": "draft"}).status_code == 404
    assert client.get(f"{BASE}/{abashas}").status_code == 404
    assert [p.title for p in _petitions(app, poti)] == ["ნაგვის გატანა ყოველდღე"]


def test_my_page_lists_the_authors_petitions(app, poti, author):
    user, client = author
    pid = make_petition(app, poti, status="draft", author_id=user.id, title="ჩემი პეტიცია")
    page = client.get("/poti/accounts/me").text
    assert "Petitions I wrote" in page and f"{BASE}/{pid}" in page and "ჩემი პეტიცია" in page


def _limited(app, **limits):
    saved = {name: app.config[f"PORTAL_PETITION_{name}_LIMIT"] for name in limits}
    app.config.update({f"PORTAL_PETITION_{name}_LIMIT": value for name, value in limits.items()})
    return lambda: app.config.update({f"PORTAL_PETITION_{n}_LIMIT": v for n, v in saved.items()})


def test_creating_is_limited_per_address_and_refusals_do_not_count(app, poti, author):
    user, client = author
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{random.randint(1, 250)}"
    restore = _limited(app, CREATE="2 per 600 seconds")
    try:
        for _ in range(3):  # a form sent back with its errors is not a petition
            assert _post(client, f"{BASE}/new", {**VALUES, "title": ""}).status_code == 422
        assert _post(client, f"{BASE}/new", {**VALUES, "action": "draft"}).status_code == 303
        assert _post(client, f"{BASE}/new", {**VALUES, "action": "draft"}).status_code == 303
        third = _post(client, f"{BASE}/new", {**VALUES, "action": "draft"})
        in_place = client.post(f"{BASE}/new", headers={"HX-Request": "true"}, data={
            **VALUES, "csrf_token": csrf_token(client.get(f"{BASE}/new").text)})
        elsewhere = app.test_client()  # another address, the same limit
        signed_in(elsewhere, user)
        elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.77"
        fourth = _post(elsewhere, f"{BASE}/new", {**VALUES, "action": "draft"})
    finally:
        restore()
    assert third.status_code == 429 and third.headers["Retry-After"]
    assert "Several petitions came from your address" in third.text and 'role="alert"' in third.text
    assert VALUES["title"] in third.text  # what they wrote is still in the form
    assert in_place.status_code == 422
    assert fourth.status_code == 303
    assert len(_petitions(app, poti)) == 3


def test_creating_is_limited_per_email_domain_but_not_at_big_webmail(app, poti):
    restore = _limited(app, CREATE_DOMAIN="1 per 600 seconds")
    domain = f"school{random.randint(1, 10**6)}.ge"
    answers = []
    try:
        for n, email in enumerate((f"a@{domain}", f"b@{domain}", "c@gmail.com", "d@gmail.com")):
            user, client = _citizen(app, email)
            confirmed_profile(app, poti, user.id, number=f"0100101{n:04d}")
            client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 10}"
            answers.append(_post(client, f"{BASE}/new", {**VALUES, "action": "draft"}).status_code)
    finally:
        restore()
    assert answers == [303, 429, 303, 303]


def test_my_page_lists_the_petitions_i_signed_and_confirmed(app, poti, abasha, author):
    from portal.blueprints.petitions import signing
    from portal.blueprints.petitions.models import Signature

    user, client = author
    titles = ("ხელმოწერილი", "დაუდასტურებელი", "სხვისი", "აბაშის")
    ids = [make_petition(app, poti, status="collecting", title=t) for t in titles[:3]]
    ids.append(make_petition(app, abasha, status="collecting", title=titles[3]))
    for pid, tenant, email, confirm in (
            (ids[0], poti, "Author+petitions@Example.ge", True),  # an alias of the account's
            (ids[1], poti, "author@example.ge", False),
            (ids[2], poti, "someone@example.ge", True),
            (ids[3], abasha, "author@example.ge", True)):
        with app.app_context(), tenant_context(tenant):
            petition = db.session.get(Petition, pid)
            row = signing.sign(petition, full_name="ნინო ბერიძე",
                               personal_number=f"0200{pid % 10**7:07d}", email=email,
                               consent=True, confirm_url=lambda token: f"https://x.ge/{token}")
            if confirm:
                signing.confirm(signing.confirmation_token(row))
            db.session.commit()
    mine = client.get("/poti/accounts/me").text
    assert "Petitions I signed" in mine
    assert f'/poti/petitions/{ids[0]}"' in mine and titles[0] in mine
    for title in titles[1:]:
        assert title not in mine
    with app.app_context(), tenant_context(poti):
        db.session.execute(update(Signature).where(Signature.petition_id == ids[0])
                           .values(invalidated_at=db.func.now()))
        db.session.commit()
    assert titles[0] not in client.get("/poti/accounts/me").text  # a burst's invalidation
