"""The moderators' queue: publish, ask for changes, reject; audited, the author e-mailed,
another municipality's petitions out of reach."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.petitions.models import Petition, PetitionEvent
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition, record_voters
from tests.staff_fixtures import make_staff, signed_in

BASE = "/poti/admin/petitions"


@pytest.fixture
def moderator(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["moderator"]))
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def author(app):
    return make_staff(app, None, [], kind="citizen", password=None, enrolled=False,
                      email="author@example.ge")


def _post(client, url, data=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{BASE}/moderation/").text)
    return client.post(url, data=data)


def _petition(app, tenant, petition_id):
    with app.app_context(), tenant_context(tenant):
        return db.session.get(Petition, petition_id)


def _mail(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_queue_lists_this_municipalitys_petitions_in_moderation(app, poti, abasha, moderator):
    mine = make_petition(app, poti, title="ფოთის პეტიცია")
    make_petition(app, poti, title="უკვე გამოქვეყნებული", status="collecting")
    make_petition(app, abasha, title="აბაშის პეტიცია")
    html = moderator.get(f"{BASE}/moderation/").text
    assert "ფოთის პეტიცია" in html and f"{BASE}/moderation/{mine}" in html
    assert "აბაშის პეტიცია" not in html and "უკვე გამოქვეყნებული" not in html
    assert "Petitions awaiting moderation: 1" in html


def test_publish_opens_collection_audits_and_emails_the_author(app, poti, moderator, author):
    record_voters(app, poti)
    pid = make_petition(app, poti, author_id=author.id)
    response = _post(moderator, f"{BASE}/moderation/{pid}/publish")
    assert response.status_code == 303
    petition = _petition(app, poti, pid)
    assert petition.status == "collecting" and petition.threshold == 201
    assert [e.target for e in _audit(app, "petitions.status_changed")] == [f"petition:{pid}"]
    [mail] = _mail(app, poti)
    assert mail.recipient == "author@example.ge" and mail.locale == "ka"
    assert "ნაგვის გატანა ყოველდღე" in mail.body_text


def test_publish_without_a_voter_count_is_refused_on_the_form(app, poti, moderator):
    pid = make_petition(app, poti)
    response = _post(moderator, f"{BASE}/moderation/{pid}/publish")
    assert response.status_code == 422
    assert "Record the number of registered voters" in response.text
    assert _petition(app, poti, pid).status == "moderation"


def test_ask_for_changes_needs_a_note_and_sends_it(app, poti, moderator, author):
    pid = make_petition(app, poti, author_id=author.id)
    empty = _post(moderator, f"{BASE}/moderation/{pid}/changes", {"note": " "})
    assert empty.status_code == 422 and _mail(app, poti) == []
    response = _post(moderator, f"{BASE}/moderation/{pid}/changes",
                     {"note": "დააზუსტეთ მოთხოვნა"})
    assert response.status_code == 303
    assert _petition(app, poti, pid).status == "changes_requested"
    [mail] = _mail(app, poti)
    assert "დააზუსტეთ მოთხოვნა" in mail.body_text
    with app.app_context(), tenant_context(poti):
        event = db.session.scalars(select(PetitionEvent)).one()
        assert event.kind == "changes_requested" and event.note == "დააზუსტეთ მოთხოვნა"


def test_reject_takes_a_published_reason(app, poti, moderator, author):
    pid = make_petition(app, poti, author_id=author.id)
    bad = _post(moderator, f"{BASE}/moderation/{pid}/reject", {"reason": "because"})
    assert bad.status_code == 422 and _petition(app, poti, pid).status == "moderation"
    response = _post(moderator, f"{BASE}/moderation/{pid}/reject",
                     {"reason": "outside_competence", "note": "მერიის საქმეა"})
    assert response.status_code == 303
    petition = _petition(app, poti, pid)
    assert (petition.status, petition.rejection_reason) == ("rejected", "outside_competence")
    [mail] = _mail(app, poti)
    assert "მერიის საქმეა" in mail.body_text
    assert len(_audit(app, "petitions.status_changed")) == 1


def test_a_second_answer_is_refused(app, poti, moderator):
    pid = make_petition(app, poti, status="rejected")
    response = _post(moderator, f"{BASE}/moderation/{pid}/changes", {"note": "x"})
    assert response.status_code == 422
    assert "not awaiting moderation" in response.text


def test_poti_moderator_cannot_see_or_act_on_abashas_petition(app, poti, abasha, moderator):
    record_voters(app, abasha)
    pid = make_petition(app, abasha)
    assert moderator.get(f"{BASE}/moderation/{pid}").status_code == 404
    assert _post(moderator, f"{BASE}/moderation/{pid}/publish").status_code == 404
    assert moderator.get(f"/abasha/admin/petitions/moderation/{pid}").status_code == 403
    assert _petition(app, abasha, pid).status == "moderation"


def test_a_role_without_the_permission_gets_403(app, staff, poti):
    pid = make_petition(app, poti)
    editor = app.test_client()
    signed_in(editor, staff(poti, ["editor"]))
    assert editor.get(f"{BASE}/moderation/").status_code == 403
    assert editor.get(f"{BASE}/moderation/{pid}").status_code == 403
    clerk = app.test_client()
    signed_in(clerk, staff(poti, ["clerk"]))
    assert clerk.get(f"{BASE}/moderation/").status_code == 403


def test_dashboard_counts_the_queue_and_the_clerks_petitions(app, staff, poti):
    make_petition(app, poti)
    make_petition(app, poti, status="submitted")
    admin = app.test_client()
    signed_in(admin, staff(poti, ["admin"]))
    admin.set_cookie("lang", "en")
    html = admin.get("/poti/admin/").text
    assert "Petitions awaiting moderation" in html
    assert "Petitions that reached the threshold, awaiting the clerk" in html
    assert f"{BASE}/moderation/" in html and f"{BASE}/?status=submitted" in html


def test_nav_links_follow_the_roles(app, staff, poti, moderator):
    html = moderator.get("/poti/admin/").text
    assert f'href="{BASE}/moderation/"' in html and f'href="{BASE}/"' not in html
