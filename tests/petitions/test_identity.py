"""Author details as the law asks: name, adult date of birth, personal number (never stored or
shown whole), the account's e-mail and an SMS-confirmed phone; a petition goes to the
moderators only after that; moderators see the details (on record), anonymisation blanks them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from portal.blueprints.petitions.anonymise import KEEP_FOR, anonymise_closed
from portal.blueprints.petitions.models import AuthorProfile, Petition
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import reveal
from portal.delivery.worker import drain
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.services.phone_codes import PhoneCode
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition
from tests.petitions.authors import NUMBER, citizen, confirmed_profile
from tests.servers import SmsServer
from tests.staff_fixtures import signed_in

BASE = "/poti/petitions/mine"
DETAILS = {"first_name": "ნინო", "last_name": "ბერიძე", "birth_date": "1990-05-01",
           "personal_number": "01001098765", "phone": "555 12 34 56"}
PETITION = {"title": "ქუჩის განათება", "form": "request_to_discuss",
            "text": "ჭავჭავაძის ქუჩა ბნელია.", "requested_action": "დაამონტაჟოს სანათები"}


@pytest.fixture
def author(app):
    return citizen(app, "author@example.ge")


def _post(client, url, data, page=None):
    token = csrf_token(client.get(page or f"{BASE}/profile").text)
    return client.post(url, data={**data, "csrf_token": token})


def _profile(app, tenant, user_id):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(AuthorProfile).where(AuthorProfile.user_id == user_id)).first()


def _last_code(app, tenant) -> str:
    with app.app_context(), tenant_context(tenant):
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")
                                     .order_by(OutboxMessage.id.desc())).first()
        return re.search(r"\d{6}", reveal(message.body_text, message.secret_sealed)).group(0)


def _sms_count(app, tenant) -> int:
    with app.app_context(), tenant_context(tenant):
        return db.session.query(OutboxMessage).filter_by(channel="sms").count()


def test_signed_out_visitors_are_sent_to_sign_in(client, poti):
    for path in ("/profile", "/profile/phone"):
        response = client.get(BASE + path)
        assert response.status_code == 303 and "/poti/accounts/link" in response.location


def test_details_then_the_sms_code_make_the_author_ready(app, poti, author):
    user, client = author
    page = client.get(f"{BASE}/profile")
    assert page.status_code == 200 and "Author details" in page.text and "author@example.ge" in page.text
    response = _post(client, f"{BASE}/profile", DETAILS)
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/profile/phone")
    profile = _profile(app, poti, user.id)
    assert (profile.first_name, profile.last_name, profile.birth_date, profile.phone) == (
        "ნინო", "ბერიძე", date(1990, 5, 1), "+995555123456")
    assert profile.email_confirmed_at is not None and profile.phone_confirmed_at is None
    assert profile.personal_number == "01001098765"  # the sealed copy opens with the key
    with app.app_context():
        stored = db.session.execute(text(
            "SELECT personal_number_hash, personal_number_sealed FROM petition_author_profiles")).one()
    assert "01001098765" not in "".join(stored)
    assert _sms_count(app, poti) == 1

    phone_page = client.get(f"{BASE}/profile/phone").text
    assert "+995555123456" in phone_page and 'autocomplete="one-time-code"' in phone_page
    wrong = _post(client, f"{BASE}/profile/phone", {"code": "000000"}, f"{BASE}/profile/phone")
    code = _last_code(app, poti)
    if code == "000000":
        pytest.skip("the random code was the wrong one we typed")
    assert wrong.status_code == 422 and "tries left: 4" in wrong.text
    with app.app_context(), tenant_context(poti):
        assert db.session.scalars(select(PhoneCode.attempts)).one() == 1  # the try was kept
    right = _post(client, f"{BASE}/profile/phone", {"code": code}, f"{BASE}/profile/phone")
    assert right.status_code == 303
    assert _profile(app, poti, user.id).phone_confirmed_at is not None
    profile_page = client.get(f"{BASE}/profile").text
    assert "01001098765" not in profile_page and "•••••••• 765".replace(" ", "") in profile_page


def test_the_code_reaches_a_real_sms_server(app, poti, author, monkeypatch):
    user, client = author
    with SmsServer() as server:
        monkeypatch.setitem(app.config, "SMS_API_URL", server.url)
        monkeypatch.setitem(app.config, "SMS_API_KEY", "test-key")
        client.set_cookie("lang", "ka")
        _post(client, f"{BASE}/profile", DETAILS)
        with app.app_context(), tenant_context(poti):
            assert drain().sent == 1
        [sent] = server.by_reference.values()
    assert sent["destination"] == "995555123456" and sent["sender"] == "Poti"
    code = re.search(r"\d{6}", sent["content"]).group(0)
    assert _post(client, f"{BASE}/profile/phone", {"code": code},
                 f"{BASE}/profile/phone").status_code == 303
    assert _profile(app, poti, user.id).phone_confirmed_at is not None


@pytest.mark.parametrize("change, field, message", [
    ({"birth_date": (date.today() - timedelta(days=17 * 365)).isoformat()}, "birth_date",
     "Only an adult"),
    ({"birth_date": "2999-01-01"}, "birth_date", "Enter your date of birth"),
    ({"birth_date": "not a date"}, "birth_date", "Not a valid date value"),
    ({"personal_number": "1234"}, "personal_number", "exactly 11 digits"),
    ({"personal_number": ""}, "personal_number", "This field is required"),
    ({"phone": "12345"}, "phone", "Georgian mobile number"),
    ({"first_name": " "}, "first_name", "This field is required"),
])
def test_bad_details_are_refused_beside_their_field(app, poti, author, change, field, message):
    user, client = author
    response = _post(client, f"{BASE}/profile", {**DETAILS, **change})
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*{message}', response.text), response.text
    assert _profile(app, poti, user.id) is None and _sms_count(app, poti) == 0


def test_a_form_without_its_csrf_token_changes_nothing(app, poti, author):
    user, client = author
    response = client.post(f"{BASE}/profile", data=DETAILS)
    assert response.status_code == 400  # the app's CSRF check answers before the view
    assert _profile(app, poti, user.id) is None and _sms_count(app, poti) == 0


def test_a_new_phone_needs_confirming_again_and_the_number_may_stay(app, poti, author):
    user, client = author
    confirmed_profile(app, poti, user.id)
    same = {**DETAILS, "phone": "+995555123456", "personal_number": ""}
    assert _post(client, f"{BASE}/profile", same).status_code == 303
    profile = _profile(app, poti, user.id)
    assert profile.phone_confirmed_at is not None and profile.personal_number == NUMBER
    assert _sms_count(app, poti) == 0
    response = _post(client, f"{BASE}/profile", {**same, "phone": "599 11 22 33"})
    assert response.location.endswith("/profile/phone")
    profile = _profile(app, poti, user.id)
    assert profile.phone == "+995599112233" and profile.phone_confirmed_at is None
    assert _sms_count(app, poti) == 1


def test_new_codes_on_request_up_to_three_an_hour(app, poti, author):
    user, client = author
    _post(client, f"{BASE}/profile", DETAILS)  # the first code
    page = f"{BASE}/profile/phone"
    for _ in range(2):
        assert _post(client, f"{BASE}/profile/phone/code", {}, page).status_code == 303
    refused = _post(client, f"{BASE}/profile/phone/code", {}, page)
    assert refused.status_code == 422 and "three codes in the last hour" in refused.text
    assert _sms_count(app, poti) == 3
    assert client.post(f"{BASE}/profile/phone/code").status_code == 400  # no CSRF token


def test_sending_for_moderation_waits_for_the_details(app, poti, author):
    user, client = author
    pid = make_petition(app, poti, status="draft", author_id=user.id)
    edit = client.get(f"{BASE}/{pid}").text
    assert f'href="{BASE}/profile"' in edit and "Fill in your author details" in edit
    token = csrf_token(edit)
    response = client.post(f"{BASE}/{pid}", data={**PETITION, "action": "submit", "csrf_token": token})
    assert response.status_code == 422 and "fill in your author details" in response.text
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Petition, pid).status == "draft"
    confirmed_profile(app, poti, user.id)
    assert "Fill in your author details" not in client.get(f"{BASE}/{pid}").text
    response = client.post(f"{BASE}/{pid}", data={**PETITION, "action": "submit", "csrf_token": token})
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Petition, pid).status == "moderation"


def test_details_are_per_municipality(app, poti, abasha, author):
    user, client = author
    confirmed_profile(app, poti, user.id)
    assert "Fill in your author details" in client.get("/abasha/petitions/mine/new").text
    assert "Fill in your author details" not in client.get(f"{BASE}/new").text


def test_moderators_see_the_details_but_never_the_whole_number_and_it_is_on_record(
        app, poti, abasha, staff, author):
    user, _client = author
    confirmed_profile(app, poti, user.id)
    pid = make_petition(app, poti, author_id=user.id)
    moderator = app.test_client()
    signed_in(moderator, staff(poti, ["moderator"]))
    moderator.set_cookie("lang", "en")
    page = moderator.get(f"/poti/admin/petitions/moderation/{pid}").text
    for shown in ("ნინო ბერიძე", "1990", "+995555123456", "author@example.ge", "345"):
        assert shown in page
    assert NUMBER not in page and NUMBER[:8] not in page
    with app.app_context():
        reads = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "read.petition_author_profile")).all()
    assert [r.target for r in reads] == [f"petition:{pid}"]
    theirs = make_petition(app, abasha)
    assert moderator.get(f"/poti/admin/petitions/moderation/{theirs}").status_code == 404


def test_profiles_are_blanked_once_every_petition_of_the_author_is(app, poti, author):
    user, _client = author
    other, _ = citizen(app, "other@example.ge")
    confirmed_profile(app, poti, user.id)
    confirmed_profile(app, poti, other.id, number="02002012345")
    closed = datetime(2025, 1, 1, tzinfo=UTC)
    make_petition(app, poti, status="closed_unsuccessful", author_id=user.id, closed_at=closed)
    make_petition(app, poti, status="rejected", author_id=other.id, closed_at=closed)
    make_petition(app, poti, status="draft", author_id=other.id)  # still needs its author
    with app.app_context(), tenant_context(poti):
        anonymise_closed(closed + KEEP_FOR + timedelta(days=1))
        db.session.commit()
    gone, kept = _profile(app, poti, user.id), _profile(app, poti, other.id)
    assert gone.anonymised_at is not None
    assert (gone.first_name, gone.birth_date, gone.personal_number, gone.personal_number_hash,
            gone.phone) == ("", None, None, None, "")
    assert kept.anonymised_at is None and kept.personal_number == "02002012345"


def test_demo_authors_have_confirmed_details(app, poti, abasha):
    from portal.blueprints.petitions import identity
    from portal.blueprints.petitions.demo import load_demo_petitions

    with app.app_context():
        load_demo_petitions()
        load_demo_petitions()  # idempotent: one author, one profile each
        for tenant in (poti, abasha):
            with tenant_context(tenant):
                petitions = db.session.scalars(select(Petition)).all()
                assert petitions and {p.author_id for p in petitions} != {None}
                [author_id] = {p.author_id for p in petitions}
                [profile] = db.session.scalars(select(AuthorProfile)).all()
                assert profile.user_id == author_id and identity.is_complete(profile)


def test_with_htmx_a_refusal_comes_back_as_the_form_fragment(app, poti, author):
    from tests.helpers import HTMX

    user, client = author
    token = csrf_token(client.get(f"{BASE}/profile").text)
    response = client.post(f"{BASE}/profile", headers=HTMX,
                           data={**DETAILS, "personal_number": "12", "csrf_token": token})
    assert response.status_code == 422 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in response.text and 'id="personal_number-error"' in response.text
    ok = client.post(f"{BASE}/profile", headers=HTMX, data={**DETAILS, "csrf_token": token})
    assert ok.status_code == 303 and _profile(app, poti, user.id) is not None
