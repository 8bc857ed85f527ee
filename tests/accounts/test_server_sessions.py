"""Sessions are recorded on the server (issue 10, item 5): a copied cookie stops working once
its session ends by sign-out, sign-out everywhere or idle time; ended rows are purged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.db import utcnow
from portal.extensions import db
from tests.helpers import csrf_token
from tests.staff_fixtures import sign_in_full, signed_in


def _copy(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    thief = app.test_client()
    thief.set_cookie(name, cookie.value, domain=cookie.domain)
    return thief


def test_a_copied_cookie_is_refused_after_sign_out(app, poti, staff):
    user = staff(poti, ["editor"])
    owner = app.test_client()
    assert sign_in_full(owner, "poti", user).status_code == 303
    thief = _copy(app, owner)
    assert thief.get("/poti/admin/").status_code == 200  # a live copy works, as any cookie does
    token = csrf_token(owner.get("/poti/admin/").text)
    assert owner.post("/poti/accounts/sign-out", data={"csrf_token": token}).status_code == 303
    assert thief.get("/poti/admin/").status_code == 303  # replayed after sign-out: refused


def test_a_citizens_copied_cookie_is_refused_after_sign_out(app, poti, staff):
    citizen = staff(None, [], kind="citizen", enrolled=False, password=None)
    owner = app.test_client()
    signed_in(owner, citizen)
    assert owner.get("/poti/accounts/me").status_code == 200
    thief = _copy(app, owner)
    token = csrf_token(owner.get("/poti/accounts/me").text)
    owner.post("/poti/accounts/sign-out", data={"csrf_token": token})
    assert thief.get("/poti/accounts/me").status_code == 303


def test_sign_out_everywhere_ends_every_copy(app, poti, staff):
    user = staff(poti, ["editor"])
    first, second = app.test_client(), app.test_client()
    signed_in(first, user)
    signed_in(second, user)
    copy = _copy(app, second)
    token = csrf_token(first.get("/poti/admin/").text)
    first.post("/poti/accounts/sign-out-everywhere", data={"csrf_token": token})
    assert copy.get("/poti/admin/").status_code == 303
    assert second.get("/poti/admin/").status_code == 303


def test_idle_time_is_measured_on_the_server(app, poti, staff):
    from portal.blueprints.accounts.models import UserSession

    user = staff(poti, ["editor"])
    owner = app.test_client()
    signed_in(owner, user)
    assert owner.get("/poti/admin/").status_code == 200
    thief = _copy(app, owner)
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(
            last_seen_at=utcnow() - timedelta(minutes=31)))
        db.session.commit()
    response = owner.get("/poti/admin/")
    assert response.status_code == 303 and "/accounts/sign-in" in response.headers["Location"]
    assert thief.get("/poti/admin/").status_code == 303


def test_a_citizen_signed_out_for_idle_time_is_told_so_in_their_terms(app, poti, staff):
    from portal.blueprints.accounts.models import UserSession

    citizen = staff(None, [], kind="citizen", enrolled=False, password=None)
    owner = app.test_client()
    signed_in(owner, citizen)
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == citizen.id).values(
            last_seen_at=utcnow() - timedelta(days=15)))
        db.session.commit()
    response = owner.get("/poti/accounts/me")
    assert response.status_code == 303 and "/accounts/link" in response.headers["Location"]
    page = owner.get(response.headers["Location"]).text
    assert "ორკვირიანი უმოქმედობის შემდეგ" in page
    assert "30 წუთიანი" not in page


def test_ended_and_stale_sessions_are_purged(app, poti, staff):
    from portal.blueprints.accounts import user_sessions
    from portal.blueprints.accounts.models import SignInFailure, User, UserSession
    from portal.blueprints.accounts.tasks import purge_sign_in_records

    user = staff(poti, ["editor"])
    with app.app_context():
        row = db.session.get(User, user.id)
        ended, stale, live = (user_sessions.start(row) for _ in range(3))
        user_sessions.end(user.id, ended)
        db.session.execute(update(UserSession).where(
            UserSession.token_hash == user_sessions.key_hash(stale)).values(
            last_seen_at=utcnow() - timedelta(days=15)))
        db.session.add_all([
            SignInFailure(user_id=user.id, address="203.0.113.1", failures=3,
                          last_failed_at=utcnow() - timedelta(days=2)),
            SignInFailure(user_id=user.id, address="203.0.113.2", failures=3)])
        db.session.commit()
        purge_sign_in_records()
        db.session.commit()
        left = db.session.execute(select(UserSession.token_hash).where(
            UserSession.user_id == user.id)).scalars().all()
        addresses = db.session.execute(select(SignInFailure.address).where(
            SignInFailure.user_id == user.id)).scalars().all()
    assert left == [user_sessions.key_hash(live)]
    assert addresses == ["203.0.113.2"]


def test_anonymous_visitors_cause_no_session_lookup(app, poti):
    from tests.helpers import count_queries

    client = app.test_client()
    with app.app_context(), count_queries(db.engine) as statements:
        assert client.get("/poti/").status_code == 200
        assert client.get("/poti/").status_code == 200  # now with a (CSRF-only) session cookie
    assert not [s for s in statements if "user_sessions" in s or "FROM users" in s]
