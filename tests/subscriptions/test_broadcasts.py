"""Staff broadcasts: compose, preview the number of recipients (nothing changes), send
(audited, in batches through the outbox), the list with delivery counts; the counts page
without personal data, the audited export, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.subscriptions.models import Notice
from portal.db import utcnow
from portal.delivery.worker import drain
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in
from tests.subscriptions.conftest import outbox, run
from tests.subscriptions.factories import make_subscriber

BASE = "/poti/admin/subscriptions"
FORM = {"topic": "emergency", "subject": "წყალი შეწყდება", "by_email": "y",
        "text": "ხვალ 10-დან 14 საათამდე წყალი არ იქნება.\n\nბოდიშს გიხდით."}


@pytest.fixture
def editor(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["editor"]))
    return client


def _notices(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return [(n.kind, n.topic, n.channels, n.id)
                for n in db.session.scalars(select(Notice).order_by(Notice.id))]


def test_preview_counts_recipients_and_changes_nothing(app, editor, poti, abasha):
    make_subscriber(app, poti, address="secret.person@example.ge")
    make_subscriber(app, poti)
    make_subscriber(app, poti, confirmed=False)
    make_subscriber(app, abasha)
    counts = editor.get(f"{BASE}/")
    assert counts.status_code == 200 and "secret.person" not in counts.text
    page = editor.get(f"{BASE}/broadcasts/new", query_string={**FORM, "preview": "1"})
    assert page.status_code == 200
    assert "2 დადასტურებული გამომწერი" in page.text
    assert _notices(app, poti) == []


def test_a_broadcast_is_sent_once_audited_and_listed(app, editor, poti, delivery_config, smtp):
    for n in range(3):
        make_subscriber(app, poti, address=f"resident{n}@example.ge")
    page = editor.get(f"{BASE}/broadcasts/new", query_string={**FORM, "preview": "1"})
    response = editor.post(f"{BASE}/broadcasts/new",
                           data={**FORM, "confirmed": "1", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    [(kind, topic, channels, notice_id)] = _notices(app, poti)
    assert (kind, topic, channels) == ("broadcast", "emergency", "email")
    with app.app_context(), tenant_context(poti):
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "subscriptions.broadcast"))
        assert entry.target == f"notice:{notice_id}" and entry.after["recipients"] == 3
    assert run(app, poti, "send_notice", notice_id=notice_id) == "3 queued"
    with app.app_context(), tenant_context(poti):
        assert drain().sent == 3
    assert sorted(m["To"] for m in smtp.messages) == [f"resident{n}@example.ge" for n in range(3)]
    assert all("ბოდიშს გიხდით." in m.get_body(("plain",)).get_content() for m in smtp.messages)
    listing = editor.get(f"{BASE}/broadcasts")
    assert listing.status_code == 200 and f'id="broadcast-{notice_id}"' in listing.text
    assert "წყალი შეწყდება" in listing.text


def test_sms_only_for_topics_that_allow_it(app, editor, poti):
    page = editor.get(f"{BASE}/broadcasts/new", query_string={
        **FORM, "topic": "petitions.new", "by_sms": "y", "sms_text": "x", "preview": "1"})
    assert page.status_code == 422
    page = editor.get(f"{BASE}/broadcasts/new", query_string={
        **FORM, "by_email": "", "by_sms": "y", "sms_text": "", "preview": "1"})
    assert page.status_code == 422
    assert _notices(app, poti) == []


def test_who_may_broadcast_and_export(app, staff, poti):
    moderator = app.test_client()
    signed_in(moderator, staff(poti, ["moderator"]))
    assert moderator.get(f"{BASE}/broadcasts/new").status_code == 403
    editor = app.test_client()
    signed_in(editor, staff(poti, ["editor"]))
    assert editor.get(f"{BASE}/subscribers.csv").status_code == 403
    admin = app.test_client()
    signed_in(admin, staff(poti, ["admin"]))
    make_subscriber(app, poti, address="export.me@example.ge")
    export = admin.get(f"{BASE}/subscribers.csv")
    assert export.status_code == 200 and "export.me@example.ge" in export.text
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "read.subscriptions.subscribers")) is not None


def test_the_dashboard_shows_the_subscribers(app, editor, poti):
    make_subscriber(app, poti)
    page = editor.get("/poti/admin/")
    assert page.status_code == 200 and "დადასტურებული გამომწერები" in page.text


def test_a_session_ahead_is_announced_once(app, poti):
    from portal.blueprints.sessions.models import Body, CouncilSession
    from portal.blueprints.sessions.topics import announce

    with app.app_context(), tenant_context(poti):
        body = db.session.scalars(select(Body)).first() or Body(
            slug="sakrebulo", name_ka="საკრებულო", kind="council")
        db.session.add(body)
        db.session.flush()
        session = CouncilSession(body_id=body.id, title="რიგითი სხდომა",
                                 starts_at=utcnow() + timedelta(days=3))
        past = CouncilSession(body_id=body.id, title="ძველი", starts_at=utcnow() - timedelta(days=3))
        db.session.add_all([session, past])
        db.session.flush()
        announce(session)
        announce(session)
        announce(past)
        db.session.commit()
    assert [(k, t) for k, t, _c, _i in _notices(app, poti)] == [("notice", "sessions.upcoming")]


def test_a_scheduled_broadcast_waits_for_its_time(app, editor, poti):
    from portal.i18n import to_local

    make_subscriber(app, poti)
    with app.app_context(), tenant_context(poti):
        later = to_local(utcnow() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        past = to_local(utcnow() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    refused = editor.get(f"{BASE}/broadcasts/new",
                         query_string={**FORM, "send_at": past, "preview": "1"})
    assert refused.status_code == 422
    page = editor.get(f"{BASE}/broadcasts/new",
                      query_string={**FORM, "send_at": later, "preview": "1"})
    assert page.status_code == 200 and f'value="{later}"' in page.text
    response = editor.post(f"{BASE}/broadcasts/new", data={
        **FORM, "send_at": later, "confirmed": "1", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    [(_kind, _topic, _channels, notice_id)] = _notices(app, poti)
    assert run(app, poti, "send_notice", notice_id=notice_id) == "scheduled for later"
    assert outbox(app, poti) == []
    assert run(app, poti, "resume_notices") == "0 resumed"
    with app.app_context(), tenant_context(poti):
        db.session.get(Notice, notice_id).send_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert run(app, poti, "send_notice", notice_id=notice_id) == "1 queued"
