"""An online application with the service's own questions and files (checked by content),
the operators' steps (missing documents, sent from the status page; the decision with a
message), the completion announced once, and the applicant's messages."""

from __future__ import annotations

import io
import re

from portal.blueprints.municipal_services import events
from portal.delivery.sealing import reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token, shared_host_path
from tests.municipal_services.conftest import outbox, service_requests
from tests.municipal_services.factories import PDF


def _fields(app, tenant, service_id):
    from portal.blueprints.municipal_services.models import Service

    with app.app_context(), tenant_context(tenant):
        return {f.kind: f"field_{f.id}" for f in db.session.get(Service, service_id).fields}


def _apply(client, app, tenant, service_id, *, headers=None, data=b"", **values):
    path = f"/{tenant.slug}/services/{service_id}/apply"
    page = client.get(path)
    assert page.status_code == 200
    names = _fields(app, tenant, service_id)
    form = {"csrf_token": csrf_token(page.text), "full_name": "ნინო ბერიძე", "email": "nino@example.ge",
            names["text"]: "04.01.12.345", names["number"]: "120", names["choice"]: "საცხოვრებელი",
            names["file"]: (io.BytesIO(data or PDF), "პროექტი.pdf"), **values}
    return client.post(path, data=form, headers=headers or {}, content_type="multipart/form-data")


def _link(app, tenant) -> str:
    message = outbox(app, tenant)[-1]
    with app.app_context():
        text = reveal(message.body_text, message.secret_sealed)
    return shared_host_path(re.search(r"https?://\S+/services/requests/\S+", text).group(0))


def test_an_application_with_a_file_then_documents_then_a_decision(app, client, poti, poti_world, operator):
    announced = []
    events.on_completed.append(announced.append)
    try:
        response = _apply(client, app, poti, poti_world.application_id)
        assert response.status_code == 303
        [request] = service_requests(app, poti)
        assert request.status == "submitted" and request.answers
        assert "04.01.12.345" in request.answers.values() and "საცხოვრებელი" in request.answers.values()
        assert outbox(app, poti)[-1].subject == "თქვენი განცხადება მიღებულია"
        link = _link(app, poti)

        queue = operator.get("/poti/admin/services/")
        assert queue.status_code == 200 and "ნინო ბერიძე" in queue.text
        page = operator.get(f"/poti/admin/services/requests/{request.id}")
        assert page.status_code == 200 and "04.01.12.345" in page.text and "პროექტი.pdf" in page.text
        refused = operator.post(f"/poti/admin/services/requests/{request.id}/step",
                                data={"csrf_token": csrf_token(page.text), "status": "documents_requested"})
        assert refused.status_code == 422 and "Write to the applicant what is missing" in refused.text
        asked = operator.post(f"/poti/admin/services/requests/{request.id}/step",
                              data={"csrf_token": csrf_token(page.text), "status": "documents_requested",
                                    "message": "ატვირთეთ ტოპოგრაფიული გეგმა."})
        assert asked.status_code == 303
        assert outbox(app, poti)[-1].subject == "სიახლე თქვენი მოთხოვნის შესახებ"
        assert "ატვირთეთ ტოპოგრაფიული გეგმა." in outbox(app, poti)[-1].body_text

        status = client.get(link)
        assert "ატვირთეთ ტოპოგრაფიული გეგმა." in status.text and 'id="documents-form"' in status.text
        fake = client.post(f"{link}/documents", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(status.text),
                                 "documents": (io.BytesIO(b"MZ not a pdf"), "plan.pdf")})
        assert fake.status_code == 422
        sent = client.post(f"{link}/documents", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(status.text),
                                 "documents": (io.BytesIO(PDF), "გეგმა.pdf")})
        assert sent.status_code == 303
        [request] = service_requests(app, poti)
        assert request.status == "submitted"
        assert "გეგმა.pdf" in client.get(link).text

        page = operator.get(f"/poti/admin/services/requests/{request.id}")
        decided = operator.post(f"/poti/admin/services/requests/{request.id}/step",
                                data={"csrf_token": csrf_token(page.text), "status": "approved",
                                      "message": "ნებართვა მზადაა, მობრძანდით მერიაში."})
        assert decided.status_code == 303
        [request] = service_requests(app, poti)
        assert request.status == "approved" and request.completed_at is not None
        [done] = announced
        assert (done.kind, done.status, done.request_id, done.email) == (
            "application", "approved", request.id, "nino@example.ge")
        assert done.service_title["en"] == "Construction permit"
        # finished: no step left, no second announcement
        again = operator.post(f"/poti/admin/services/requests/{request.id}/step",
                              data={"csrf_token": csrf_token(page.text), "status": "rejected",
                                    "message": "x"})
        assert again.status_code == 422 and len(announced) == 1
    finally:
        events.on_completed.remove(announced.append)


def test_missing_answers_and_a_fake_file_are_refused(app, client, poti, poti_world):
    names = _fields(app, poti, poti_world.application_id)
    response = _apply(client, app, poti, poti_world.application_id, data=b"GIF89a not a pdf at all",
                      **{names["text"]: "", names["number"]: "many", names["choice"]: "x"})
    assert response.status_code == 422
    assert "ეს ველი სავალდებულოა." in response.text and "შეიყვანეთ რიცხვი." in response.text
    client.set_cookie("lang", "en")
    english = _apply(client, app, poti, poti_world.application_id, headers=HTMX,
                     **{names["file"]: (io.BytesIO(b""), "")})
    assert english.status_code == 422 and "<html" not in english.text and "Choose a file." in english.text
    assert service_requests(app, poti) == []


def test_an_appointment_completed_is_announced(app, client, poti, poti_world, operator):
    from tests.municipal_services.test_booking import _book

    announced = []
    events.on_completed.append(announced.append)
    try:
        _book(client, f"/poti/services/{poti_world.appointment_id}/book", phone="555 12 34 56")
        [request] = service_requests(app, poti)
        page = operator.get(f"/poti/admin/services/?day={request.day.isoformat()}")
        assert "ნინო ბერიძე" in page.text
        page = operator.get(f"/poti/admin/services/requests/{request.id}")
        for step in ("attended", "completed"):
            response = operator.post(f"/poti/admin/services/requests/{request.id}/step",
                                     data={"csrf_token": csrf_token(page.text), "status": step})
            assert response.status_code == 303
        [done] = announced
        assert (done.kind, done.status, done.phone) == ("appointment", "completed", "+995555123456")
    finally:
        events.on_completed.remove(announced.append)


def test_staff_of_abasha_cannot_see_or_change_poti_s_requests(app, client, poti, abasha, poti_world, staff):
    from tests.municipal_services.conftest import _client

    _apply(client, app, poti, poti_world.application_id)
    [request] = service_requests(app, poti)
    abasha_operator = _client(app, staff(abasha, ["operator"]))
    assert abasha_operator.get(f"/abasha/admin/services/requests/{request.id}").status_code == 404
    page = abasha_operator.get("/abasha/admin/services/")
    assert page.status_code == 200 and "ნინო ბერიძე" not in page.text
    response = abasha_operator.post(f"/abasha/admin/services/requests/{request.id}/step",
                                    data={"csrf_token": csrf_token(page.text), "status": "in_progress"})
    assert response.status_code == 404
    assert service_requests(app, poti)[0].status == "submitted"
    # a citizen's Poti link under Abasha's prefix is a 404 too
    assert client.get(_link(app, poti).replace("/poti/", "/abasha/")).status_code == 404
    # a person without the role is refused
    editor_only = _client(app, staff(poti, ["editor"]))
    assert editor_only.get("/poti/admin/services/").status_code == 403


def test_an_empty_application_shows_every_message_at_once(app, client, poti, poti_world):
    names = _fields(app, poti, poti_world.application_id)
    response = _apply(client, app, poti, poti_world.application_id, full_name="", email="",
                      **{names["text"]: "", names["file"]: (io.BytesIO(b""), "")})
    assert response.status_code == 422
    # the contacts' message beside the others, not only once everything else is right
    assert 'id="email-error"' in response.text
    assert "მიუთითეთ ელფოსტა, მობილურის ნომერი ან ორივე." in response.text
    assert 'id="full_name-error"' in response.text and f'id="{names["file"]}-error"' in response.text
    assert service_requests(app, poti) == []


def test_the_status_page_shows_the_answers_and_only_a_standing_message(app, client, poti, poti_world,
                                                                       operator):
    _apply(client, app, poti, poti_world.application_id)
    [request] = service_requests(app, poti)
    link = _link(app, poti)
    client.set_cookie("lang", "en")
    status = client.get(link)
    assert 'id="answers-title"' in status.text and "04.01.12.345" in status.text
    assert "Residential" in status.text and "საცხოვრებელი" not in status.text  # the choice's label
    assert 'id="message-title"' not in status.text

    page = operator.get(f"/poti/admin/services/requests/{request.id}")
    assert "Residential" in page.text
    operator.post(f"/poti/admin/services/requests/{request.id}/step",
                  data={"csrf_token": csrf_token(page.text), "status": "documents_requested",
                        "message": "Send the topographic plan."})
    status = client.get(link)
    assert 'id="message-title"' in status.text and "Send the topographic plan." in status.text
    sent = client.post(f"{link}/documents", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(status.text),
                             "documents": (io.BytesIO(PDF), "plan.pdf")})
    assert sent.status_code == 303
    status = client.get(link)
    # answered: no longer standing at the top, still in the history
    assert 'id="message-title"' not in status.text
    assert "Documents missing: Send the topographic plan." in status.text


def test_another_municipality_s_operator_cannot_open_files_or_ask_for_documents(
        app, client, poti, abasha, poti_world, abasha_world, staff):
    from tests.municipal_services.conftest import _client

    _apply(client, app, poti, poti_world.application_id)
    [request] = service_requests(app, poti)
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.municipal_services.requests import files_of

        [upload] = files_of(request)
    abasha_operator = _client(app, staff(abasha, ["operator"]))
    assert abasha_operator.get(
        f"/abasha/admin/services/requests/{request.id}/files/{upload.id}").status_code == 404
    page = abasha_operator.get("/abasha/admin/services/")
    for step, message in (("documents_requested", "x"), ("approved", ""), ("rejected", "x")):
        response = abasha_operator.post(f"/abasha/admin/services/requests/{request.id}/step",
                                        data={"csrf_token": csrf_token(page.text), "status": step,
                                              "message": message})
        assert response.status_code == 404
    # under Poti's prefix, an Abasha operator has no role there
    assert abasha_operator.get(f"/poti/admin/services/requests/{request.id}").status_code in (403, 404)
    assert service_requests(app, poti)[0].status == "submitted"
    assert len(outbox(app, poti)) == 1  # only the applicant's receipt
