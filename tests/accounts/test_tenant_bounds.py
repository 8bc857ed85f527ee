"""One municipality cannot act on another's staff (issue 10, item 4): deactivating or changing
roles here touches this municipality's roles only, and links work only where they were issued."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in


@pytest.fixture
def mailbox(monkeypatch):
    from portal.blueprints.accounts import notifications

    sent: list[dict] = []
    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: sent.append(kw))
    return sent


def _roles(app, tenant, user_id):
    from portal.blueprints.accounts.queries import roles_of

    with app.app_context():
        return sorted(roles_of(user_id, tenant.id))


def _user(app, user_id):
    from portal.blueprints.accounts.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_poti_cannot_switch_off_or_sign_out_abashas_admin(app, poti, abasha, staff, mailbox):
    poti_admin = staff(poti, ["admin"])
    abasha_admin = staff(abasha, ["admin"])
    victim = app.test_client()
    signed_in(victim, abasha_admin)
    assert victim.get("/abasha/admin/").status_code == 200

    attacker = app.test_client()
    signed_in(attacker, poti_admin)
    token = csrf_token(attacker.get("/poti/admin/staff").text)
    assert attacker.post("/poti/admin/staff/invite", data={
        "csrf_token": token, "email": abasha_admin.email, "roles": ["editor"]}).status_code == 303
    page = attacker.get(f"/poti/admin/staff/{abasha_admin.id}")
    assert attacker.post(f"/poti/admin/staff/{abasha_admin.id}", data={
        "csrf_token": csrf_token(page.text), "roles": ["clerk"]}).status_code == 303
    response = attacker.post(f"/poti/admin/staff/{abasha_admin.id}/deactivate",
                             data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303

    after = _user(app, abasha_admin.id)
    assert after.is_active and after.session_version == abasha_admin.session_version
    assert _roles(app, poti, abasha_admin.id) == []
    assert _roles(app, abasha, abasha_admin.id) == ["admin"]
    assert victim.get("/abasha/admin/").status_code == 200  # still signed in
    with app.app_context():
        audited = db.session.execute(select(AuditEntry.tenant_id, AuditEntry.action).where(
            AuditEntry.target == f"user:{abasha_admin.id}").execution_options(all_tenants=True)).all()
    assert {tenant_id for tenant_id, _action in audited} == {poti.id}


def test_the_last_role_removed_leaves_the_account_on(app, poti, staff):
    admin = staff(poti, ["admin"])
    editor = staff(poti, ["editor"])
    signed_in(client := app.test_client(), admin)
    page = client.get(f"/poti/admin/staff/{editor.id}")
    client.post(f"/poti/admin/staff/{editor.id}/deactivate", data={"csrf_token": csrf_token(page.text)})
    after = _user(app, editor.id)
    assert after.is_active and after.session_version == editor.session_version
    # ... but it has nothing left to do here
    signed_in(former := app.test_client(), after)
    assert former.get("/poti/admin/").status_code == 403


def _issue(app, user, purpose, tenant):
    from portal.blueprints.accounts import services
    from portal.blueprints.accounts.models import User

    with app.app_context():
        token = services.issue_token(db.session.get(User, user.id), purpose, tenant.id if tenant else None)
        db.session.commit()
    return token


ROUTES = {"reset": "reset", "invite": "invitation", "login": "link"}


@pytest.mark.parametrize("purpose", ["reset", "invite", "login"])
def test_links_work_only_where_they_were_issued(app, poti, abasha, staff, purpose):
    user = staff(poti, ["editor"], kind="citizen" if purpose == "login" else "staff")
    path = ROUTES[purpose]
    poti_token = _issue(app, user, purpose, poti)
    client = app.test_client()
    assert client.get(f"/abasha/accounts/{path}/{poti_token}").status_code == 404
    assert client.get(f"/accounts/{path}/{poti_token}").status_code == 404
    assert client.get(f"/poti/accounts/{path}/{poti_token}").status_code == 200
    if purpose == "invite":
        return  # invitations always come from a municipality
    platform_token = _issue(app, user, purpose, None)
    assert client.get(f"/poti/accounts/{path}/{platform_token}").status_code == 404
    assert client.get(f"/accounts/{path}/{platform_token}").status_code == 200


def test_a_foreign_login_link_cannot_be_spent(app, poti, abasha, staff):
    user = staff(None, [], kind="citizen", enrolled=False, password=None)
    token = _issue(app, user, "login", poti)
    client = app.test_client()
    page = client.get("/poti/accounts/sign-in")  # any page: a CSRF token for the session
    response = client.post(f"/abasha/accounts/link/{token}", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 404
    assert client.get(f"/poti/accounts/link/{token}").status_code == 200  # not used up
