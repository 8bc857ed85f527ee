"""The municipality's outgoing messages in the admin: masked recipients, approve held SMS,
retry failures; audited, scoped to the municipality, refused to staff without the role."""

from __future__ import annotations

from sqlalchemy import select

from portal.delivery import operations
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import signed_in


def _messages(app, tenant, *rows) -> list[int]:
    """Outbox rows as the worker leaves them: (channel, status, recipient)."""
    with app.app_context(), tenant_context(tenant):
        made = [OutboxMessage(channel=channel, status=status, recipient=recipient, locale="ka",
                              subject="სიახლე" if channel == "email" else None,
                              body_text="ტექსტი", idempotency_key=f"t-{tenant.slug}-{n}",
                              last_error="SMTP 451" if status == "failed" else None)
                for n, (channel, status, recipient) in enumerate(rows)]
        db.session.add_all(made)
        db.session.commit()
        return [m.id for m in made]


def _statuses(app, tenant, ids) -> list[str]:
    with app.app_context(), tenant_context(tenant):
        return [db.session.get(OutboxMessage, i).status for i in ids]


def test_page_lists_messages_with_masked_recipients(app, client, poti, abasha, staff):
    _messages(app, poti, ("email", "sent", "nino.beridze@example.org"),
              ("sms", "held", "995599123456"))
    _messages(app, abasha, ("email", "failed", "abasha.person@example.org"))
    signed_in(client, staff(poti, ["admin"]))
    page = client.get("/poti/admin/messages")
    assert page.status_code == 200
    assert "n***@example.org" in page.text and "9955******56" in page.text
    assert "nino.beridze" not in page.text and "995599123456" not in page.text
    assert "abasha.person" not in page.text and "a***@example.org" not in page.text
    fragment = client.get("/poti/admin/messages?status=held", headers=HTMX)
    assert "<html" not in fragment.text and "9955******56" in fragment.text
    assert "n***@example.org" not in fragment.text


def test_bad_filter_is_a_422_not_an_error(client, poti, staff):
    signed_in(client, staff(poti, ["admin"]))
    assert client.get("/poti/admin/messages?status=nope&before=x").status_code == 422


def test_approve_chosen_or_every_held_sms_is_audited(app, client, poti, staff):
    ids = _messages(app, poti, ("sms", "held", "995599000001"), ("sms", "held", "995599000002"),
                    ("sms", "held", "995599000003"))
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    token = csrf_token(client.get("/poti/admin/messages").text)
    response = client.post("/poti/admin/messages/approve",
                           data={"csrf_token": token, "ids": [str(ids[0])]})
    assert response.status_code == 303
    assert _statuses(app, poti, ids) == ["pending", "held", "held"]
    response = client.post("/poti/admin/messages/approve", data={"csrf_token": token, "every": "1"})
    assert response.status_code == 303
    assert _statuses(app, poti, ids) == ["pending", "pending", "pending"]
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "outbox.approve").order_by(AuditEntry.id)).all()
        assert [e.after["approved"] for e in entries] == [1, 2]
        assert entries[0].actor_id == admin.id and entries[0].tenant_id == poti.id


def test_approving_nothing_is_refused_and_changes_nothing(app, client, poti, staff):
    ids = _messages(app, poti, ("sms", "held", "995599000001"))
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/messages").text)
    response = client.post("/poti/admin/messages/approve", data={"csrf_token": token})
    assert response.status_code == 422 and 'role="alert"' in response.text
    response = client.post("/poti/admin/messages/approve",
                           data={"csrf_token": token, "ids": ["not-a-number"]})
    assert response.status_code == 422
    assert _statuses(app, poti, ids) == ["held"]


def test_retry_requeues_failed_but_never_bounced_or_sent(app, client, poti, staff):
    ids = _messages(app, poti, ("email", "failed", "a@example.org"),
                    ("email", "bounced", "b@example.org"), ("email", "sent", "c@example.org"))
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/messages").text)
    response = client.post("/poti/admin/messages/retry",
                           data={"csrf_token": token, "ids": [str(i) for i in ids]})
    assert response.status_code == 303
    assert _statuses(app, poti, ids) == ["pending", "bounced", "sent"]
    with app.app_context(), tenant_context(poti):
        retried = db.session.get(OutboxMessage, ids[0])
        assert retried.attempts == 0 and retried.last_error is None


def test_one_municipality_cannot_touch_anothers_messages(app, client, poti, abasha, staff):
    (foreign,) = _messages(app, abasha, ("sms", "held", "995599000009"))
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/messages").text)
    client.post("/poti/admin/messages/approve", data={"csrf_token": token, "ids": [str(foreign)]})
    client.post("/poti/admin/messages/approve", data={"csrf_token": token, "every": "1"})
    assert _statuses(app, abasha, [foreign]) == ["held"]


def test_only_staff_with_the_permission_see_messages(client, poti, staff):
    signed_in(client, staff(poti, ["clerk"]))
    assert client.get("/poti/admin/messages").status_code == 403
    assert "/admin/messages" not in client.get("/poti/admin/").text


def test_masking_keeps_recipients_recognisable_only():
    assert operations.masked("nino@example.org") == "n***@example.org"
    assert operations.masked("995599123456") == "9955******56"
    assert operations.masked("12345") == "*****"


def test_delivery_errors_are_explained_in_the_staff_language_with_the_raw_detail_kept(
        app, client, poti, staff):
    from portal.delivery.error_text import ERRORS, describe_error

    with app.app_context(), tenant_context(poti):
        message = OutboxMessage(channel="email", status="failed", recipient="x@example.org",
                                locale="ka", subject="s", body_text="t", idempotency_key="t-err",
                                last_error="gave up after 5 attempts: recipient deferred: 451 "
                                           "4.7.1 greylisted")
        db.session.add(message)
        db.session.commit()
    signed_in(client, staff(poti, ["admin"]))
    html = client.get("/poti/admin/messages").text
    assert "ხელახლა" in html.split("greylisted")[0].rsplit("<td", 1)[1]  # "try again later"
    assert "4.7.1 greylisted" in html  # the raw detail, for operators
    with app.test_request_context("/poti/", headers={"Cookie": "lang=en"}):
        app.preprocess_request()
        assert describe_error("recipient deferred: 451 x") == (
            "The recipient's mail server asked us to try again later.")
        assert describe_error("something new") == "Delivery failed."
        assert len({code for code, _, _ in ERRORS}) == len(ERRORS)
