"""Writing a letter without JavaScript and with htmx, refusals with messages, the honeypot,
the rate limit, the tracking code by e-mail (sealed in the outbox, delivered over SMTP in the
writer's language) and the tracking page."""

from __future__ import annotations

import re
from datetime import date

from portal.delivery.sealing import PLACEHOLDER
from portal.extensions import db
from tests.helpers import HTMX, csrf_token, shared_host_path
from tests.letters.conftest import CODE_RE, deliver, letters, outbox

FORM = {"full_name": "ნინო ბერიძე", "email": "nino@example.ge", "phone": "555 12 34 56",
        "address": "რუსთაველის 5", "unit": "ცენტრი", "subject": "ქუჩის განათება",
        "text": "რუსთაველის რკალზე სამი ლამპიონი არ ანათებს."}


def _send(client, path="/poti/letters/mayor", headers=None, **values):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"csrf_token": csrf_token(page.text), **FORM, **values},
                       headers=headers or {})


def test_a_letter_without_javascript_is_received_and_the_code_is_mailed(app, client, poti, smtp):
    form = client.get("/poti/letters/mayor")
    assert "<form" in form.text and 'name="website"' in form.text and 'name="unit"' in form.text
    assert "ცენტრი" in form.text  # the municipality's units from tenant.toml
    assert "10 სამუშაო დღის ვადაში" in form.text  # the setting's default
    response = _send(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/poti/letters/sent")
    [letter] = letters(app, poti)
    assert (letter.recipient, letter.status, letter.locale) == ("mayor", "received", "ka")
    assert letter.phone == "+995555123456" and letter.unit == "ცენტრი"
    assert letter.due_on > date.today()
    [message] = outbox(app, poti)
    assert message.recipient == "nino@example.ge" and message.subject == "თქვენი წერილი მიღებულია"
    assert PLACEHOLDER in message.body_text and not CODE_RE.search(message.body_text)
    assert deliver(app, poti).sent == 1
    [mail] = smtp.messages
    text = mail.get_body(("plain",)).get_content()
    code = CODE_RE.search(text).group(0)
    assert letter.tracking_hash not in text and code not in letter.tracking_hash
    link = shared_host_path(re.search(r"https?://\S+/letters/track/\S+", text).group(0))
    assert link == f"/poti/letters/track/{code}"
    page = client.get(link)
    assert page.status_code == 200 and "ქუჩის განათება" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_english_writer_gets_english_mail_and_looks_the_letter_up_by_code_and_email(app, client, poti, smtp):
    client.set_cookie("lang", "en")
    assert _send(client, "/poti/letters/chair").status_code == 303
    [message] = outbox(app, poti)
    assert message.locale == "en" and message.subject == "Your letter is received"
    assert "chair of the Sakrebulo" in message.body_text
    deliver(app, poti)
    code = CODE_RE.search(smtp.messages[0].get_body(("plain",)).get_content()).group(0)
    track = client.get("/poti/letters/track")
    token = csrf_token(track.text)
    wrong = client.post("/poti/letters/track", data={"csrf_token": token, "code": code,
                                                      "email": "other@example.ge"})
    assert wrong.status_code == 422 and "No letter has this code" in wrong.text
    typed = code.lower().replace("-", " ").replace("0", "o")
    found = client.post("/poti/letters/track", data={"csrf_token": token, "code": typed,
                                                      "email": "NINO@example.ge"})
    assert found.status_code == 200 and "ქუჩის განათება" in found.text and "Received" in found.text


def test_missing_fields_are_refused_in_the_visitor_s_language(app, client, poti):
    response = _send(client, full_name="", email="not-an-address", subject=" ", phone="123")
    assert response.status_code == 422
    assert "ეს ველი სავალდებულოა." in response.text
    assert "aria-invalid" in response.text
    assert letters(app, poti) == [] and outbox(app, poti) == []
    client.set_cookie("lang", "en")
    english = _send(client, email="nope")
    assert english.status_code == 422 and "Enter an e-mail address." in english.text


def test_htmx_gets_the_form_fragment_or_a_redirect(app, client, poti):
    bad = _send(client, headers=HTMX, text="")
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="letter-form"' in bad.text
    good = _send(client, headers=HTMX)
    assert good.status_code == 204 and good.headers["HX-Redirect"].endswith("/poti/letters/sent")


def test_the_honeypot_keeps_nothing(app, client, poti):
    response = _send(client, website="http://spam.example")
    assert response.status_code == 303
    assert letters(app, poti) == [] and outbox(app, poti) == []


def test_a_missing_csrf_token_is_refused(app, client, poti):
    response = client.post("/poti/letters/mayor", data=FORM)
    assert response.status_code in (400, 422)
    assert letters(app, poti) == []


def test_too_many_letters_from_one_address_are_answered_on_the_form(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_LETTERS_WRITE_LIMIT", "2 per 600 seconds")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    client.set_cookie("lang", "en")
    assert _send(client).status_code == 303
    assert _send(client).status_code == 303
    third = _send(client)
    assert third.status_code == 429 and "Several letters came from your address" in third.text
    assert "Retry-After" in third.headers
    assert len(letters(app, poti)) == 2


def test_a_signed_in_citizen_s_letter_is_on_their_page(app, client, poti, staff):
    from tests.staff_fixtures import signed_in

    citizen = staff(poti, [], kind="citizen", password=None, enrolled=False, email="citizen@example.ge")
    signed_in(client, citizen)
    assert 'value="citizen@example.ge"' in client.get("/poti/letters/mayor").text
    assert _send(client, email="citizen@example.ge").status_code == 303
    [letter] = letters(app, poti)
    assert letter.author_id == citizen.id
    me = client.get("/poti/accounts/me").text
    assert f"/poti/letters/mine/{letter.id}" in me and "ქუჩის განათება" in me
    mine = client.get(f"/poti/letters/mine/{letter.id}")
    assert mine.status_code == 200 and "ქუჩის განათება" in mine.text
    stranger = staff(poti, [], kind="citizen", password=None, enrolled=False, email="other@example.ge")
    other = app.test_client()
    signed_in(other, stranger)
    assert other.get(f"/poti/letters/mine/{letter.id}").status_code == 404


def test_another_municipality_s_code_and_ids_are_not_found(app, client, poti, abasha, smtp):
    _send(client)
    deliver(app, poti)
    code = CODE_RE.search(smtp.messages[0].get_body(("plain",)).get_content()).group(0)
    assert client.get(f"/poti/letters/track/{code}").status_code == 200
    assert client.get(f"/abasha/letters/track/{code}").status_code == 404
    track = client.get("/abasha/letters/track")
    response = client.post("/abasha/letters/track", data={"csrf_token": csrf_token(track.text),
                                                          "code": code, "email": "nino@example.ge"})
    assert response.status_code == 422
    [letter] = letters(app, poti)
    assert client.get(f"/abasha/letters/mine/{letter.id}").status_code == 404
    assert client.get("/poti/letters/track/NOT-A-CODE").status_code == 404


def test_too_many_look_ups_are_refused(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_LETTERS_TRACK_LIMIT", "2 per 600 seconds")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.24"
    client.set_cookie("lang", "en")
    assert client.get("/poti/letters/track/AAAAA-BBBBB").status_code == 404
    assert client.get("/poti/letters/track/AAAAA-BBBBC").status_code == 404
    third = client.get("/poti/letters/track/AAAAA-BBBBD")
    assert third.status_code == 429 and "Too many look-ups from your address" in third.text


def test_demo_letters_load_once(app, poti, abasha):
    from portal.blueprints.letters.demo import load_demo_letters

    with app.app_context():
        assert load_demo_letters() == "letters: poti: 5, abasha: 3"
        assert load_demo_letters() == "letters: poti: 5, abasha: 3"
        db.session.rollback()


def test_the_office_inbox_hears_of_a_new_letter_without_the_writer_s_contacts(app, client, poti):
    from portal.tenancy import get_directory
    from portal.tenancy.settings import profile_settings

    with app.app_context():
        profile_settings.set_many({"contacts.city_hall.inbox": "mayor@poti.example.ge"}, tenant_id=poti.id)
        db.session.commit()
    get_directory(app).invalidate()
    assert _send(client).status_code == 303
    [letter] = letters(app, poti)
    receipt, note = outbox(app, poti)
    assert receipt.recipient == "nino@example.ge"
    assert note.recipient == "mayor@poti.example.ge" and note.subject == "ახალი წერილი მერს"
    assert "ქუჩის განათება" in note.body_text and f"/admin/letters/mayor/{letter.id}" in note.body_text
    assert "nino@example.ge" not in note.body_text and "ნინო" not in note.body_text
    assert _send(client, "/poti/letters/chair").status_code == 303
    assert len(outbox(app, poti)) == 3  # no inbox for the Sakrebulo: the writer's receipt only


def test_the_same_form_sent_twice_stores_one_letter(app, client, poti, abasha):
    """A retry of a form whose answer was cut off (a server killed after the commit, as in
    bench/cluster.py): the form's key stores the letter once and answers as before; a form
    shown again has a new key, and another municipality keeps its own letters."""
    page = client.get("/poti/letters/mayor").text
    key = re.search(r'name="submission"[^>]*value="([0-9a-f]{32})"', page).group(1)
    form = {"csrf_token": csrf_token(page), **FORM, "submission": key}
    first = client.post("/poti/letters/mayor", data=form)
    again = client.post("/poti/letters/mayor", data=form, headers=HTMX)
    assert first.status_code == 303 and again.status_code == 204
    assert again.headers["HX-Redirect"].endswith("/poti/letters/sent")
    assert len(letters(app, poti)) == 1 and len(outbox(app, poti)) == 1
    fresh = client.get("/poti/letters/mayor").text
    assert key not in fresh
    assert _send(client, submission=re.search(
        r'name="submission"[^>]*value="([0-9a-f]{32})"', fresh).group(1)).status_code == 303
    assert len(letters(app, poti)) == 2
    other = client.get("/abasha/letters/mayor").text
    assert client.post("/abasha/letters/mayor", data={
        "csrf_token": csrf_token(other), **FORM, "unit": "", "submission": key}).status_code == 303
    assert len(letters(app, abasha)) == 1
    tampered = client.post("/poti/letters/mayor", data={**form, "submission": "<x>"})
    assert tampered.status_code == 422 and len(letters(app, poti)) == 2
