"""The staff's pages: a consultation written without JavaScript (a draft, the period on the
municipality's clock, sections), refusals (422, nothing saved), publishing (announced once),
documents checked by content, moderating (publish, reject with a reason, notes), answering
(public, e-mailed in the commenter's language), the summary only after the period; every action
audited; the dashboard panel; another municipality's moderator can neither see nor moderate
nor answer."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import select

from portal.blueprints.consultations.models import Consultation, ConsultationComment, ConsultationDocument
from portal.blueprints.subscriptions.models import Notice
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services import audit
from portal.tenancy import tenant_context
from tests.consultations.conftest import BASE, post
from tests.consultations.factories import PDF, consultation_form, make_comment, make_consultation
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in


def _consultations(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Consultation).order_by(Consultation.id)).all()


def _comment(app, tenant, comment_id):
    with app.app_context(), tenant_context(tenant):
        return db.session.get(ConsultationComment, comment_id)


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id))]


def _outbox(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_new_consultation_is_a_draft_with_its_period_on_the_municipality_s_clock(app, manager, client, poti):
    response = post(manager, f"{BASE}/new", consultation_form(
        opens_at="2026-06-01T10:00", closes_at="2026-07-01T18:00",
        section_lines="ეკოტურიზმი | Eco-tourism\nსანაპირო"))
    assert response.status_code == 303
    [consultation] = _consultations(app, poti)
    assert not consultation.is_published and consultation.kind == "strategy"
    opens = consultation.opens_at.replace(tzinfo=consultation.opens_at.tzinfo or UTC)
    assert opens == datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 10:00 in Tbilisi (UTC+4)
    assert "consultations.create" in _actions(app)
    assert client.get(f"/poti/consultations/{consultation.id}").status_code == 404  # a draft
    page = manager.get(f"{BASE}/{consultation.id}")
    assert "2026-06-01T10:00" in page.text and "ეკოტურიზმი | Eco-tourism\nსანაპირო" in page.text


def test_refusals_change_nothing(app, manager, poti):
    cases = [({"closes_at": "2026-05-01T10:00"}, "Comments must close after they open."),
             ({"opens_at": "tomorrow"}, "Not a valid datetime value."),
             ({"kind": "referendum"}, "Not a valid choice"),
             ({"title": ""}, "This field is required."),
             ({"section_lines": "\n".join(f"ნაწილი {n}" for n in range(60))}, "At most 50 sections.")]
    for values, message in cases:
        response = post(manager, f"{BASE}/new", consultation_form(**values))
        assert response.status_code == 422, values
        assert message in response.text, (values, message)
    manager.set_cookie("lang", "ka")
    response = post(manager, f"{BASE}/new", consultation_form(closes_at="2026-05-01T10:00"))
    assert "კომენტარების მიღება დაწყების შემდეგ უნდა დასრულდეს." in response.text
    assert _consultations(app, poti) == []


def test_publishing_announces_the_consultation_once(app, manager, client, poti):
    consultation_id = make_consultation(app, poti, published=False)
    assert post(manager, f"{BASE}/{consultation_id}/publish").status_code == 303
    assert client.get(f"/poti/consultations/{consultation_id}").status_code == 200
    assert post(manager, f"{BASE}/{consultation_id}/unpublish").status_code == 303
    assert client.get(f"/poti/consultations/{consultation_id}").status_code == 404
    assert post(manager, f"{BASE}/{consultation_id}/publish").status_code == 303
    with app.app_context(), tenant_context(poti):
        notices = [(n.topic, n.item_key) for n in db.session.scalars(select(Notice))]
    assert notices == [("consultations.new", f"consultations.new:consultation:{consultation_id}")]
    assert _actions(app).count("consultations.publish") == 2


def test_documents_are_checked_by_their_content(app, manager, poti):
    consultation_id = make_consultation(app, poti)
    url = f"{BASE}/{consultation_id}/documents"
    fake = post(manager, url, {"documents": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "budget.pdf")},
                content_type="multipart/form-data")
    assert fake.status_code == 422 and "This kind of file cannot be attached." in fake.text
    good = post(manager, url, {"documents": (io.BytesIO(PDF), "ბიუჯეტი.pdf")}, content_type="multipart/form-data")
    assert good.status_code == 303
    with app.app_context(), tenant_context(poti):
        [document] = db.session.scalars(select(ConsultationDocument)).all()
    assert document.name == "ბიუჯეტი.pdf" and document.mimetype == "application/pdf"
    assert post(manager, f"{url}/{document.id}/delete").status_code == 303
    assert _actions(app)[-2:] == ["consultations.documents_added", "consultations.document_deleted"]


def test_moderating_and_answering_a_comment(app, manager, client, poti):
    consultation_id = make_consultation(app, poti)
    comment_id = make_comment(app, poti, consultation_id, status="pending", locale="en", email="ann@example.org")
    listing = manager.get(f"{BASE}/comments?status=pending")
    assert f"/comments/{comment_id}" in listing.text
    page = manager.get(f"{BASE}/comments/{comment_id}")
    assert "ann@example.org" in page.text  # staff see the address
    # an answer before publication is refused
    early = post(manager, f"{BASE}/comments/{comment_id}/answer", {"answer": "Thanks"})
    assert early.status_code == 422 and "Publish the comment before answering it." in early.text
    assert post(manager, f"{BASE}/comments/{comment_id}/publish").status_code == 303
    assert "მეტი თანხა განათებისთვის." in client.get(f"/poti/consultations/{consultation_id}").text
    assert post(manager, f"{BASE}/comments/{comment_id}/note", {"note": "To the finance office."}).status_code == 303
    answered = post(manager, f"{BASE}/comments/{comment_id}/answer",
                    {"answer": "Thank you: 120,000 GEL more for lighting."})
    assert answered.status_code == 303
    comment = _comment(app, poti, comment_id)
    assert comment.staff_note == "To the finance office." and comment.answered_at is not None
    public = client.get(f"/poti/consultations/{consultation_id}").text
    assert "120,000 GEL more for lighting." in public and "To the finance office." not in public
    [mail] = _outbox(app, poti)
    assert mail.recipient == "ann@example.org" and mail.locale == "en"
    assert mail.subject.startswith("An answer to your comment on")
    assert f"/consultations/{consultation_id}#comment-{comment_id}" in mail.body_text
    assert _actions(app)[-3:] == ["consultations.comment_published", "consultations.comment_noted",
                                  "consultations.comment_answered"]


def test_rejecting_needs_a_reason_and_keeps_the_comment_hidden(app, manager, client, poti):
    consultation_id = make_consultation(app, poti)
    comment_id = make_comment(app, poti, consultation_id, body="სარეკლამო ტექსტი")
    assert post(manager, f"{BASE}/comments/{comment_id}/reject", {"reason": ""}).status_code == 422
    assert post(manager, f"{BASE}/comments/{comment_id}/reject", {"reason": "Advertising."}).status_code == 303
    comment = _comment(app, poti, comment_id)
    assert comment.status == "rejected" and comment.reject_reason == "Advertising."
    assert "სარეკლამო ტექსტი" not in client.get(f"/poti/consultations/{consultation_id}").text
    # an unconfirmed comment cannot be published
    unconfirmed = make_comment(app, poti, consultation_id, status="unconfirmed")
    refused = post(manager, f"{BASE}/comments/{unconfirmed}/publish")
    assert refused.status_code == 422 and "has not confirmed the e-mail address yet" in refused.text
    assert _comment(app, poti, unconfirmed).status == "unconfirmed"


def test_the_summary_waits_for_the_end_of_the_period(app, manager, client, poti):
    open_id = make_consultation(app, poti)
    early = post(manager, f"{BASE}/{open_id}/outcome", {"outcome": "მივიღეთ 3 შენიშვნა."})
    assert early.status_code == 422 and "once the comment period has ended" in early.text
    closed_id = make_consultation(app, poti, title="სტრატეგია", opens_in_days=-20, closes_in_days=-1)
    assert post(manager, f"{BASE}/{closed_id}/outcome",
                {"outcome": "მივიღეთ 3 შენიშვნა.", "outcome_en": "We received 3 comments."}).status_code == 303
    page = client.get(f"/poti/consultations/{closed_id}").text
    assert "მივიღეთ 3 შენიშვნა." in page and 'id="comment-form"' not in page
    assert "consultations.outcome" in _actions(app)


def test_the_dashboard_counts_comments_awaiting_moderation(app, manager, poti):
    consultation_id = make_consultation(app, poti)
    make_comment(app, poti, consultation_id)
    make_comment(app, poti, consultation_id)
    assert "Comments awaiting moderation: 2" in manager.get("/poti/admin/").text


def test_another_municipality_s_moderator_can_neither_see_nor_moderate_nor_answer(app, staff, poti, abasha):
    consultation_id = make_consultation(app, poti)
    comment_id = make_comment(app, poti, consultation_id, status="published")
    theirs = app.test_client()
    signed_in(theirs, staff(abasha, ["moderator"]))
    base = "/abasha/admin/consultations"
    assert "მეტი თანხა" not in theirs.get(f"{base}/comments").text
    assert theirs.get(f"{base}/comments/{comment_id}").status_code == 404
    assert theirs.get(f"{base}/{consultation_id}").status_code == 404
    token = csrf_token(theirs.get(f"{base}/").text)
    for action, data in (("publish", {}), ("reject", {"reason": "x"}), ("answer", {"answer": "x"}),
                         ("note", {"note": "x"})):
        response = theirs.post(f"{base}/comments/{comment_id}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 404, action
    # and under Poti's prefix an Abasha role opens nothing
    assert theirs.get(f"{BASE}/comments/{comment_id}").status_code in (302, 403)
    comment = _comment(app, poti, comment_id)
    assert comment.status == "published" and comment.answer == "" and comment.staff_note == ""
    # (only this feature's actions: other tests' sign-in failures may be committed on PostgreSQL)
    assert _outbox(app, poti) == []
    assert [a for a in _actions(app) if a.startswith(("consultations.", "read.consultation"))] == []
