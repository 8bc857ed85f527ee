"""Staff management: invite by e-mail, change roles, deactivate; the dashboard; audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, csrf_token, shared_host_path
from tests.staff_fixtures import PASSWORD, signed_in, totp_now


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


def test_invitation_leads_to_password_and_two_factor(app, client, poti, staff, mailbox):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/staff").text)
    response = client.post("/poti/admin/staff/invite", data={
        "csrf_token": token, "email": "New.Editor@example.org", "name": "ნინო", "roles": ["editor", "moderator"]})
    assert response.status_code == 303
    assert mailbox[0]["to"] == "new.editor@example.org"
    link = shared_host_path(mailbox[0]["context"]["action_url"])
    assert "/poti/accounts/invitation/" in link
    dashboard = client.get("/poti/admin/")
    assert "Invitations not yet accepted" in dashboard.text or "მოწვევ" in dashboard.text

    invited = app.test_client()
    page = invited.get(link)
    response = invited.post(link, data={"csrf_token": csrf_token(page.text),
                                        "password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"].endswith("/poti/accounts/two-factor/setup")
    page = invited.get("/poti/accounts/two-factor/setup")
    secret = page.text.split('class="secret">')[1].split("<")[0]
    invited.post("/poti/accounts/two-factor/setup",
                 data={"csrf_token": csrf_token(page.text), "code": totp_now(secret)})
    assert invited.get("/poti/admin/").status_code == 200
    assert invited.get("/poti/admin/settings").status_code == 403  # an editor, not an admin


def test_role_change_and_deactivation_are_audited(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    editor = staff(poti, ["editor"])
    signed_in(client, admin)
    page = client.get(f"/poti/admin/staff/{editor.id}")
    assert page.status_code == 200
    response = client.post(f"/poti/admin/staff/{editor.id}", data={
        "csrf_token": csrf_token(page.text), "roles": ["clerk"]})
    assert response.status_code == 303
    assert _roles(app, poti, editor.id) == ["clerk"]
    response = client.post(f"/poti/admin/staff/{editor.id}/deactivate", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    assert _roles(app, poti, editor.id) == []
    with app.app_context():
        actions = list(db.session.execute(select(AuditEntry.action).where(
            AuditEntry.target == f"user:{editor.id}")).scalars())
    assert actions == ["staff.roles_changed", "staff.deactivated"]


def test_roles_form_errors_come_back_as_a_fragment(client, poti, staff):
    admin = staff(poti, ["admin"])
    editor = staff(poti, ["editor"])
    signed_in(client, admin)
    page = client.get(f"/poti/admin/staff/{editor.id}")
    response = client.post(f"/poti/admin/staff/{editor.id}", headers=HTMX, data={
        "csrf_token": csrf_token(page.text), "roles": ["no-such-role"]})
    assert response.status_code == 422
    assert response.text.lstrip().startswith("<form")


def test_admin_cannot_drop_their_own_admin_role_or_deactivate_themselves(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    page = client.get(f"/poti/admin/staff/{admin.id}")
    response = client.post(f"/poti/admin/staff/{admin.id}",
                           data={"csrf_token": csrf_token(page.text), "roles": ["editor"]})
    assert response.status_code == 422
    response = client.post(f"/poti/admin/staff/{admin.id}/deactivate", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 409
    assert _roles(app, poti, admin.id) == ["admin"]


def test_one_person_holds_roles_in_two_municipalities_separately(app, poti, abasha, staff):
    from portal.blueprints.accounts.models import RoleAssignment
    from portal.tenancy import tenant_context

    person = staff(poti, ["editor"])
    with app.app_context(), tenant_context(abasha):
        db.session.add(RoleAssignment(user_id=person.id, role="admin"))
        db.session.commit()
    client = app.test_client()
    signed_in(client, person)
    assert client.get("/poti/admin/settings").status_code == 403
    assert client.get("/abasha/admin/settings").status_code == 200


def test_audit_log_search_and_filter(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    editor = staff(poti, ["editor"], email="searchable-editor@example.org")
    signed_in(client, admin)
    page = client.get(f"/poti/admin/staff/{editor.id}")
    client.post(f"/poti/admin/staff/{editor.id}", data={"csrf_token": csrf_token(page.text), "roles": ["grants"]})
    response = client.get("/poti/admin/audit?action=staff.roles")
    assert response.status_code == 200 and f"user:{editor.id}" in response.text
    assert f"user:{editor.id}" not in client.get("/poti/admin/audit?action=sign_in").text
    fragment = client.get(f"/poti/admin/audit?q=user:{editor.id}", headers=HTMX)
    assert fragment.text.lstrip().startswith('<div id="audit-results">')
    assert client.get("/poti/admin/audit?since=not-a-date").status_code == 422


def test_audit_entries_cannot_be_changed(app, poti, staff):
    from portal.services import audit

    staff(poti, ["admin"])
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).limit(1)).scalar()
        if entry is None:
            entry = audit.record("test.entry", tenant_id=poti.id)
            db.session.commit()
        entry.action = "forged"
        with pytest.raises(audit.AuditLogReadOnly):
            db.session.flush()
        db.session.rollback()
        from sqlalchemy import text

        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("DELETE FROM audit_entries"))
        db.session.rollback()


def test_platform_admin_adds_a_municipality_and_appoints_its_admin(app, client, staff, mailbox):
    root = staff(None, [], platform=True)
    signed_in(client, root)
    page = client.get("/platform/")
    assert page.status_code == 200
    response = client.post("/platform/tenants", data={
        "csrf_token": csrf_token(page.text), "slug": "senaki", "name_ka": "სენაკი", "name_en": "Senaki"})
    assert response.status_code == 303
    assert client.get("/senaki/").status_code == 200
    response = client.post("/platform/tenants/senaki/admins", data={
        "csrf_token": csrf_token(page.text), "email": "chief@senaki.example.org"})
    assert response.status_code == 303
    assert mailbox[0]["to"] == "chief@senaki.example.org"
    senaki = app.extensions["tenant_directory"].by_slug("senaki")
    with app.app_context():
        from portal.blueprints.accounts.queries import user_by_email

        assert _roles(app, senaki, user_by_email("chief@senaki.example.org").id) == ["admin"]
    duplicate = client.post("/platform/tenants", data={
        "csrf_token": csrf_token(page.text), "slug": "senaki", "name_ka": "სენაკი"})
    assert duplicate.status_code == 422


def test_municipal_admin_is_not_a_platform_admin(client, poti, staff):
    signed_in(client, staff(poti, ["admin"]))
    assert client.get("/platform/").status_code == 403


def test_invitations_join_the_inviting_municipality_outbox(app, client, poti, abasha, staff, monkeypatch):
    from portal.blueprints.accounts import notifications
    from portal.tenancy import get_current_tenant

    sent = []
    monkeypatch.setattr(notifications, "_queue_email",
                        lambda **kw: sent.append((kw["to"], get_current_tenant().slug)))
    root = staff(poti, ["admin"], platform=True)
    signed_in(client, root)
    token = csrf_token(client.get("/poti/admin/staff").text)
    client.post("/poti/admin/staff/invite", data={"csrf_token": token, "email": "p@example.org", "roles": ["editor"]})
    client.post("/platform/tenants/abasha/admins", data={"csrf_token": token, "email": "a@example.org"})
    assert sent == [("p@example.org", "poti"), ("a@example.org", "abasha")]
