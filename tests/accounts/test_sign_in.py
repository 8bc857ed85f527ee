"""Staff sign-in: password then TOTP, back-off, rate limits, fresh sessions, idle timeout,
sign-out everywhere."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import PASSWORD, sign_in_full, signed_in, totp_now


def _actions(app, user_id=None):
    with app.app_context():
        query = select(AuditEntry.action).order_by(AuditEntry.id)
        if user_id is not None:
            query = query.where(AuditEntry.actor_id == user_id)
        return list(db.session.execute(query).scalars())


def test_password_then_code_signs_in_and_is_audited(app, client, poti, staff):
    user = staff(poti, ["editor"])
    response = sign_in_full(client, "poti", user)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/poti/admin/")
    assert client.get("/poti/admin/").status_code == 200
    assert "sign_in.succeeded" in _actions(app, user.id)


def test_wrong_password_is_a_localised_422_and_audited(app, client, poti, staff):
    user = staff(poti, ["editor"])
    response = sign_in_full(client, "poti", user, password="not the right one at all")
    assert response.status_code == 422
    assert "არასწორია" in response.text  # Georgian by default
    assert "sign_in.failed" in _actions(app, user.id)
    assert client.get("/poti/admin/").status_code == 303  # still signed out


def test_htmx_sign_in_error_returns_the_form_fragment(client, poti, staff):
    user = staff(poti, ["editor"])
    page = client.get("/poti/accounts/sign-in")
    response = client.post("/poti/accounts/sign-in", headers=HTMX, data={
        "csrf_token": csrf_token(page.text), "email": user.email, "password": "wrong password here!"})
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="sign-in-form"' in response.text


def test_repeated_failures_back_off_even_for_the_right_password(app, client, poti, staff):
    user = staff(poti, ["editor"])
    for _ in range(6):
        sign_in_full(client, "poti", user, password="wrong password number x")
    response = sign_in_full(client, "poti", user)
    assert response.status_code == 422
    assert "sign_in.locked" in _actions(app, user.id)


def test_sign_in_posts_are_rate_limited_per_address(app, poti, staff):
    user = staff(poti, ["editor"])
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    saved = app.config["PORTAL_SIGN_IN_LIMIT"]
    app.config["PORTAL_SIGN_IN_LIMIT"] = "3 per minute"
    try:
        codes = []
        for _ in range(4):
            page = client.get("/poti/accounts/sign-in")
            response = client.post("/poti/accounts/sign-in", data={
                "csrf_token": csrf_token(page.text), "email": user.email, "password": "x" * 20})
            codes.append(response.status_code)
    finally:
        app.config["PORTAL_SIGN_IN_LIMIT"] = saved
    assert codes[-1] == 429 and codes[0] == 422
    assert 1 <= int(response.headers["Retry-After"]) <= 60  # when to come back
    assert "X-RateLimit-Remaining" not in page.headers  # no storage round trips for headers


def test_wrong_and_replayed_codes_are_refused(client, app, poti, staff):
    user = staff(poti, ["editor"])
    assert sign_in_full(client, "poti", user, code="000000").status_code == 422
    code = totp_now(user.totp_secret)
    assert sign_in_full(client, "poti", user, code=code).status_code == 303
    other = app.test_client()
    assert sign_in_full(other, "poti", user, code=code).status_code == 422  # the same code again


def test_a_recovery_code_works_once(app, client, poti, staff):
    from portal.blueprints.accounts import services
    from portal.blueprints.accounts.models import User

    user = staff(poti, ["editor"], enrolled=False)
    with app.app_context():
        row = db.session.get(User, user.id)
        secret = pyotp.random_base32()
        codes = services.confirm_totp(row, secret, totp_now(secret))
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
    assert sign_in_full(client, "poti", row, code=codes[0]).status_code == 303
    assert sign_in_full(app.test_client(), "poti", row, code=codes[0]).status_code == 422


def test_enrolment_shows_a_qr_code_and_recovery_codes(client, poti, staff):
    user = staff(poti, ["editor"], enrolled=False)
    page = client.get("/poti/accounts/sign-in")
    response = client.post("/poti/accounts/sign-in", data={
        "csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/poti/accounts/two-factor/setup")
    page = client.get("/poti/accounts/two-factor/setup")
    assert 'src="data:image/svg+xml;base64,' in page.text
    secret = page.text.split('class="secret">')[1].split("<")[0]
    response = client.post("/poti/accounts/two-factor/setup", data={
        "csrf_token": csrf_token(page.text), "code": totp_now(secret)})
    assert response.status_code == 200
    assert response.text.count("<li><code>") == 10
    assert client.get("/poti/admin/").status_code == 200


def test_staff_without_two_factor_is_never_signed_in(client, poti, staff):
    user = staff(poti, ["admin"], enrolled=False)
    signed_in(client, user)  # even a forged session cookie for them does not count
    assert client.get("/poti/admin/").status_code == 303


def test_sign_in_starts_a_fresh_session(client, poti, staff):
    user = staff(poti, ["editor"])
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in_full(client, "poti", user)
    with client.session_transaction() as session:
        assert "planted" not in session
        user_id, version, key = session["_user_id"].split(":")
        assert (user_id, version) == (str(user.id), str(user.session_version)) and len(key) > 40


def test_thirty_idle_minutes_sign_staff_out(app, client, poti, staff):
    user = staff(poti, ["editor"])
    signed_in(client, user)
    assert client.get("/poti/admin/").status_code == 200
    from datetime import timedelta

    from sqlalchemy import update

    from portal.blueprints.accounts.models import UserSession
    from portal.db import utcnow

    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(
            last_seen_at=utcnow() - timedelta(minutes=31)))
        db.session.commit()
    response = client.get("/poti/admin/")
    assert response.status_code == 303 and "/accounts/sign-in" in response.headers["Location"]
    assert client.get("/poti/admin/").status_code == 303


def test_sign_out_everywhere_ends_other_sessions(app, poti, staff):
    user = staff(poti, ["editor"])
    first, second = app.test_client(), app.test_client()
    signed_in(first, user)
    signed_in(second, user)
    token = csrf_token(first.get("/poti/admin/").text)
    response = first.post("/poti/accounts/sign-out-everywhere", data={"csrf_token": token})
    assert response.status_code == 303
    assert second.get("/poti/admin/").status_code == 303
    assert "sign_out.everywhere" in _actions(app, user.id)


def test_sign_out(client, poti, staff):
    user = staff(poti, ["editor"])
    signed_in(client, user)
    token = csrf_token(client.get("/poti/admin/").text)
    assert client.post("/poti/accounts/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/poti/admin/").status_code == 303


def test_platform_admin_signs_in_on_the_shared_host(client, staff):
    user = staff(None, [], platform=True)
    response = sign_in_full(client, None, user)
    assert response.status_code == 303 and response.headers["Location"].endswith("/platform/")
    assert client.get("/platform/").status_code == 200


def test_guessing_codes_backs_off_the_account(app, client, poti, staff):
    user = staff(poti, ["editor"])
    for _ in range(6):
        assert sign_in_full(client, "poti", user, code="000000").status_code == 422
    # the password step is now refused too, and so is a right code
    assert sign_in_full(app.test_client(), "poti", user).status_code == 422
    assert "two_factor.failed" in _actions(app, user.id)
