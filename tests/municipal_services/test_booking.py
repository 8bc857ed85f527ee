"""Booking a time without JavaScript and with htmx, the code by message (sealed in the
outbox), the status page, moving and cancelling by the link, a full slot refused in the
applicant's language, and the reminders the day before (once)."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.blueprints.municipal_services import reminders
from portal.blueprints.municipal_services.models import ServiceRequest
from portal.db import utcnow
from portal.delivery.sealing import PLACEHOLDER, reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token, shared_host_path
from tests.municipal_services.conftest import outbox, service_requests, slots

SLOT = re.compile(r'name="slot" id="slot-\d+" value="([^"]+)"(?! disabled)')
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}\b")


def _book(client, path, headers=None, pick=0, **values):
    page = client.get(path)
    assert page.status_code == 200
    times = SLOT.findall(page.text)
    data = {"csrf_token": csrf_token(page.text), "full_name": "ნინო ბერიძე",
            "email": "nino@example.ge", "phone": "", "slot": times[pick], **values}
    return client.post(path, data=data, headers=headers or {}), times[pick]


def _link(app, tenant) -> str:
    message = outbox(app, tenant)[-1]
    with app.app_context():
        text = reveal(message.body_text, message.secret_sealed)
    return shared_host_path(re.search(r"https?://\S+/services/requests/\S+", text).group(0))


def test_booking_without_javascript_sends_the_code_and_opens_the_status_page(app, client, poti, poti_world):
    path = f"/poti/services/{poti_world.appointment_id}/book"
    response, chosen = _book(client, path)
    assert response.status_code == 303 and response.headers["Location"].endswith("/poti/services/sent")
    sent = client.get("/poti/services/sent")
    code = CODE.search(sent.text).group(0)
    assert sent.headers["Cache-Control"] == "no-store"
    [request] = service_requests(app, poti)
    assert (request.kind, request.status, request.locale) == ("appointment", "booked", "ka")
    assert f"{request.day.isoformat()}@" in chosen
    [slot] = slots(app, poti)
    assert (slot.taken, slot.capacity) == (1, 2)
    [message] = outbox(app, poti)
    assert message.subject == "თქვენი ვიზიტი დაჯავშნილია"
    assert PLACEHOLDER in message.body_text and code not in message.body_text
    link = _link(app, poti)
    assert link == f"/poti/services/requests/{code}"
    page = client.get(link)
    assert page.status_code == 200 and "კონსულტაცია" in page.text and "დაჯავშნილია" in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    # the second visit to "sent" shows no code
    assert not CODE.search(client.get("/poti/services/sent").text)


def test_htmx_booking_redirects_and_english_errors_come_in_english(app, client, poti, poti_world):
    client.set_cookie("lang", "en")
    path = f"/poti/services/{poti_world.appointment_id}/book"
    bad, _ = _book(client, path, headers=HTMX, email="", phone="123", full_name="")
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="book-form"' in bad.text
    assert "This field is required." in bad.text and "Enter a Georgian mobile number" in bad.text
    none, _ = _book(client, path, email="")
    assert none.status_code == 422 and "Give an e-mail address or a mobile phone number" in none.text
    no_time = client.post(path, data={"csrf_token": csrf_token(client.get(path).text),
                                      "full_name": "Nino", "email": "nino@example.ge"})
    assert no_time.status_code == 422 and "Choose a time." in no_time.text
    wrong = client.post(path, data={"csrf_token": csrf_token(client.get(path).text), "full_name": "Nino",
                                    "email": "nino@example.ge", "slot": "2001-01-01@09:00"})
    assert wrong.status_code == 422 and "Choose one of the times shown." in wrong.text
    junk = client.post(path, data={"csrf_token": csrf_token(client.get(path).text), "full_name": "Nino",
                                   "email": "nino@example.ge", "slot": "x@99:99"})
    assert junk.status_code == 422
    assert service_requests(app, poti) == [] and outbox(app, poti) == []
    good, _ = _book(client, path, headers=HTMX, email="", phone="555 12 34 56")
    assert good.status_code == 204 and good.headers["HX-Redirect"].endswith("/poti/services/sent")
    [request] = service_requests(app, poti)
    assert request.phone == "+995555123456" and request.locale == "en"
    [sms] = outbox(app, poti)
    assert sms.channel == "sms" and PLACEHOLDER in sms.body_text


def test_georgian_errors_in_georgian(app, client, poti, poti_world):
    path = f"/poti/services/{poti_world.appointment_id}/book"
    bad, _ = _book(client, path, email="not-an-address", full_name="")
    assert bad.status_code == 422 and "ეს ველი სავალდებულოა." in bad.text and 'aria-invalid' in bad.text


def test_a_full_slot_is_refused_and_shown_full(app, client, poti, poti_world):
    path = f"/poti/services/{poti_world.appointment_id}/book"
    first, chosen = _book(client, path)
    second = client.post(path, data={"csrf_token": csrf_token(client.get(path).text),
                                     "full_name": "გიორგი", "email": "g@example.ge", "slot": chosen})
    assert second.status_code == 303
    page = client.get(path)
    assert f'value="{chosen}" disabled' in page.text
    client.set_cookie("lang", "en")
    third = client.post(path, data={"csrf_token": csrf_token(page.text), "full_name": "Levan",
                                    "email": "l@example.ge", "slot": chosen})
    assert third.status_code == 422 and "taken the last place" in third.text
    assert [s.taken for s in slots(app, poti)] == [2]
    assert len(service_requests(app, poti)) == 2


def test_moving_and_cancelling_by_the_link(app, client, poti, poti_world):
    path = f"/poti/services/{poti_world.appointment_id}/book"
    _book(client, path)
    link = _link(app, poti)
    page = client.get(link)
    times = SLOT.findall(page.text)
    response = client.post(f"{link}/move", data={"csrf_token": csrf_token(page.text), "slot": times[1]})
    assert response.status_code == 303
    [request] = service_requests(app, poti)
    assert f"{request.day.isoformat()}@" in times[1]
    assert sorted(s.taken for s in slots(app, poti)) == [0, 1]
    assert outbox(app, poti)[-1].subject == "თქვენი ვიზიტი გადატანილია"
    # the move's message links with a signed token, which opens the same page
    signed = _link(app, poti)
    assert signed != link and client.get(signed).status_code == 200
    page = client.get(link)
    assert "გადატანილია" in page.text or "სხვა დროზე" in page.text
    response = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    [request] = service_requests(app, poti)
    assert request.status == "cancelled" and request.slot_id is None
    assert [s.taken for s in slots(app, poti)] == [0, 0]
    again = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client.get(link).text)})
    assert again.status_code == 422
    assert client.get(f"{link}/cancel").status_code == 302  # the form's address: its page


def test_a_bad_link_or_another_municipality_is_a_404(app, client, poti, abasha, poti_world):
    _book(client, f"/poti/services/{poti_world.appointment_id}/book")
    link = _link(app, poti)
    assert client.get(link.replace("/poti/", "/abasha/")).status_code == 404
    assert client.get("/poti/services/requests/AAAAA-BBBBB").status_code == 404
    assert client.get("/poti/services/requests/eyJyIjoxfQ.forged").status_code == 404
    assert client.get(f"/abasha/services/{poti_world.appointment_id}").status_code == 404
    assert client.get(f"/abasha/services/{poti_world.appointment_id}/book").status_code == 404


def test_the_lookup_finds_by_code_and_contact(app, client, poti, poti_world):
    _book(client, f"/poti/services/{poti_world.appointment_id}/book")
    code = CODE.search(client.get("/poti/services/sent").text).group(0)
    page = client.get("/poti/services/status")
    client.set_cookie("lang", "en")
    wrong = client.post("/poti/services/status", data={"csrf_token": csrf_token(page.text), "code": code,
                                                       "contact": "other@example.ge"})
    assert wrong.status_code == 422 and "No request has this code" in wrong.text
    found = client.post("/poti/services/status", data={"csrf_token": csrf_token(page.text),
                                                       "code": code.lower().replace("-", " "),
                                                       "contact": "NINO@example.ge"})
    assert found.status_code == 303 and "/poti/services/requests/" in found.headers["Location"]
    assert client.get(found.headers["Location"]).status_code == 200


def test_reminders_go_once_the_day_before(app, client, poti, poti_world):
    _book(client, f"/poti/services/{poti_world.appointment_id}/book")
    [request] = service_requests(app, poti)
    with app.app_context(), tenant_context(poti):
        row = db.session.get(ServiceRequest, request.id)
        from portal.i18n import to_local

        row.day = to_local(utcnow()).date() + timedelta(days=1)
        db.session.commit()
        before = len(outbox(app, poti))
        assert reminders.send_due(utcnow()) == 1
        db.session.commit()
        assert reminders.send_due(utcnow()) == 0
        db.session.commit()
    messages = outbox(app, poti)
    assert len(messages) == before + 1 and messages[-1].subject == "შეხსენება: თქვენი ვიზიტი ხვალ"


def test_too_many_bookings_from_one_address_are_answered_on_the_form(app, client, poti, poti_world,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_SERVICES_BOOK_LIMIT", "2 per 600 seconds")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.31"
    client.set_cookie("lang", "en")
    path = f"/poti/services/{poti_world.appointment_id}/book"
    assert _book(client, path)[0].status_code == 303
    assert _book(client, path, pick=1)[0].status_code == 303
    third, _ = _book(client, path, pick=2)
    assert third.status_code == 429 and "Several requests came from your address" in third.text
    assert "Retry-After" in third.headers and 'id="book-form"' in third.text
    assert len(service_requests(app, poti)) == 2
