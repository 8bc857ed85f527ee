"""Answering a survey page by page: a condition decided on the server (without JavaScript and
with htmx), required answers refused in the visitor's language, one answer per browser, the
confirmations by e-mail link and SMS code (one answer per address or phone, only a keyed hash
kept unless the survey keeps the contact), and drafts, closed surveys and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.surveys.models import SurveyResponse
from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.surveys.conftest import answers, responses
from tests.surveys.factories import make_survey

QUESTIONS = (("single", "დადიხართ სანაპიროზე?", "დიახ | Yes\nარა | No"),
             ("multiple", "რისთვის?", "სეირნობა | Walking\nსპორტი | Sport"),
             ("short_text", "რატომ არა?", ""))


def conditional(app, tenant, **values) -> dict:
    """Page 1: yes/no; page 2: "what for?" only after yes, "why not?" only after no."""
    made = make_survey(app, tenant, questions=QUESTIONS, sections=2, **values)
    from portal.blueprints.surveys import building
    from portal.blueprints.surveys.models import Survey

    with app.app_context(), tenant_context(tenant):
        survey = db.session.get(Survey, made["survey"])
        first, what, why = (building.question_of(survey, q) for q in made["questions"])
        for question, value in ((what, "o1"), (why, "o2")):
            building.save_question(survey, question, section_id=made["sections"][1], kind=question.kind,
                                   text=question.text, options=building.options_text(question.options),
                                   is_required=question.kind != "short_text",
                                   condition=[f"{first.id}:{value}"])
        survey.status = "published"
        db.session.commit()
    return made


def _start(client, base):
    page = client.get(f"{base}/answer")
    assert page.status_code == 200
    return csrf_token(page.text)


def test_the_condition_shows_only_the_questions_that_apply(app, client, poti):
    made = conditional(app, poti)
    q1, q2, q3 = made["questions"]
    base = f"/poti/surveys/{made['survey']}"
    assert "სანაპიროზე" in client.get(base).text
    token = _start(client, base)
    # page 1, answered "no": page 2 asks only "why not?"
    page = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", f"q{q1}": "o2"})
    assert page.status_code == 200
    assert "რატომ არა?" in page.text and "რისთვის?" not in page.text
    assert f'name="q{q1}" value="o2"' in page.text  # carried as a hidden field
    back = client.post(f"{base}/answer", data={"csrf_token": token, "step": "1", f"q{q1}": "o2",
                                               "action": "back"})
    assert "დადიხართ სანაპიროზე?" in back.text and 'value="o2" checked' in back.text
    # answered "yes" instead: "what for?" (required) appears
    page = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", f"q{q1}": "o1"})
    assert "რისთვის?" in page.text and "რატომ არა?" not in page.text
    refused = client.post(f"{base}/answer", data={"csrf_token": token, "step": "1", f"q{q1}": "o1"})
    assert refused.status_code == 422 and "უპასუხეთ ამ კითხვას." in refused.text
    done = client.post(f"{base}/answer", data={"csrf_token": token, "step": "1", f"q{q1}": "o1",
                                               f"q{q2}": ["o1", "o2"], f"q{q3}": "ignored: not shown"})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{base}/thanks")
    assert sorted(answers(app, poti, made["survey"])) == sorted([(q1, "o1", None), (q2, "o1", None),
                                                                 (q2, "o2", None)])
    # one answer per browser
    assert "უკვე უპასუხეთ" in client.get(base).text
    assert client.get(f"{base}/answer").status_code == 303
    assert responses(app, poti, made["survey"]) == 1


def test_with_htmx_the_form_is_swapped_and_errors_are_in_english(app, client, abasha):
    made = conditional(app, abasha)
    q1, q2, q3 = made["questions"]
    base = f"/abasha/surveys/{made['survey']}"
    client.set_cookie("lang", "en")
    token = _start(client, base)
    refused = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0"}, headers=HTMX)
    assert refused.status_code == 422 and "<html" not in refused.text
    assert "Answer this question." in refused.text and 'aria-invalid="true"' in refused.text
    page = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", f"q{q1}": "o2"}, headers=HTMX)
    assert page.status_code == 200 and 'id="survey-form"' in page.text and "<html" not in page.text
    done = client.post(f"{base}/answer", data={"csrf_token": token, "step": "1", f"q{q1}": "o2",
                                               f"q{q3}": "Too far"}, headers=HTMX)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(f"{base}/thanks")
    assert "Thank you" in client.get(f"{base}/thanks").text
    assert sorted(answers(app, abasha, made["survey"])) == sorted([(q1, "o2", None), (q3, "Too far", None)])


def test_carried_answers_are_checked_again(app, client, poti):
    made = conditional(app, poti)
    q1, q2, _q3 = made["questions"]
    base = f"/poti/surveys/{made['survey']}"
    token = _start(client, base)
    # a forged hidden answer on the last page: refused, nothing stored
    response = client.post(f"{base}/answer", data={"csrf_token": token, "step": "1", f"q{q1}": "o9",
                                                   f"q{q2}": "o1"})
    assert response.status_code in (200, 422)
    assert responses(app, poti, made["survey"]) == 0


def test_bad_input_is_a_message_never_a_500(app, client, poti):
    made = make_survey(app, poti, questions=(("number", "რამდენი წლის ხართ?", ""),
                                             ("ranking", "დაალაგეთ", "ა | A\nბ | B\nგ | C"),
                                             ("rating", "შეაფასეთ", "")))
    qn, qr, qs = made["questions"]
    base = f"/poti/surveys/{made['survey']}"
    token = _start(client, base)
    for data, _message in (
            ({f"q{qn}": "ბევრი", f"q{qr}.o1": "1", f"q{qr}.o2": "2", f"q{qr}.o3": "3", f"q{qs}": "4"},
             "ჩაწერეთ რიცხვი"),
            ({f"q{qn}": "1e400", f"q{qr}.o1": "1", f"q{qr}.o2": "2", f"q{qr}.o3": "3", f"q{qs}": "4"},
             "ჩაწერეთ რიცხვი"),
            ({f"q{qn}": "30", f"q{qr}.o1": "1", f"q{qr}.o2": "1", f"q{qr}.o3": "3", f"q{qs}": "4"},
             "განსხვავებული ადგილი"),
            ({f"q{qn}": "30", f"q{qr}.o1": "x", f"q{qr}.o2": "2", f"q{qr}.o3": "3", f"q{qs}": "4"},
             "განსხვავებული ადგილი"),
            ({f"q{qn}": "30", f"q{qr}.o1": "1", f"q{qr}.o2": "2", f"q{qr}.o3": "3", f"q{qs}": "9"},
             "აირჩიეთ ერთ-ერთი")):
        response = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", **data})
        assert response.status_code == 422, data
    for step in ("-1", "99999999999999999999", "x"):
        assert client.post(f"{base}/answer", data={"csrf_token": token, "step": step}).status_code < 500
    ok = client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", f"q{qn}": "30,5",
                                             f"q{qr}.o1": "2", f"q{qr}.o2": "1", f"q{qr}.o3": "3", f"q{qs}": "5"})
    assert ok.status_code == 303
    assert sorted(answers(app, poti, made["survey"])) == sorted(
        [(qn, "30.5", None), (qr, "o1", 2), (qr, "o2", 1), (qr, "o3", 3), (qs, "5", None)])


def test_drafts_are_404_and_closed_surveys_take_no_answers(app, client, poti):
    draft = make_survey(app, poti, status="draft")["survey"]
    assert client.get(f"/poti/surveys/{draft}").status_code == 404
    assert client.get(f"/poti/surveys/{draft}/answer").status_code == 404
    closed = make_survey(app, poti, closes_at=utcnow() - timedelta(hours=1))["survey"]
    assert "დახურულია" in client.get(f"/poti/surveys/{closed}").text
    assert client.get(f"/poti/surveys/{closed}/answer").status_code == 303
    upcoming = make_survey(app, poti, opens_at=utcnow() + timedelta(days=2))["survey"]
    assert client.get(f"/poti/surveys/{upcoming}/answer").status_code == 303
    # another municipality's survey is not found here
    theirs = make_survey(app, poti)["survey"]
    assert client.get(f"/abasha/surveys/{theirs}").status_code == 404


def _last_message(app, tenant):
    with app.app_context(), tenant_context(tenant):
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        return message, reveal(message.body_text, message.secret_sealed)


def test_confirmed_by_e_mail_one_answer_per_address(app, client, poti):
    made = make_survey(app, poti, access="email")
    base = f"/poti/surveys/{made['survey']}"
    page = client.get(base).text
    assert "ვინაობის გარეშე" in page and 'id="email-form"' in page
    assert client.get(f"{base}/answer").status_code == 303  # not confirmed yet
    token = csrf_token(page)
    refused = client.post(f"{base}/email", data={"csrf_token": token, "email": "not an address"})
    assert refused.status_code == 422
    sent = client.post(f"{base}/email", data={"csrf_token": token, "email": "Nino@Example.ge"})
    assert sent.status_code == 200
    message, body = _last_message(app, poti)
    assert message.recipient.lower() == "nino@example.ge" and "[redacted]" in message.body_text
    link = re.search(r"https?://\S+/surveys/\d+/email/(\S+)", body).group(1)
    visitor = app.test_client()
    confirm = visitor.get(f"{base}/email/{link}")
    assert confirm.status_code == 200 and "nino@example.ge" in confirm.text.lower()
    assert visitor.get(f"{base}/email/{link}x").status_code == 404
    assert visitor.post(f"{base}/email/{link}", data={"csrf_token": csrf_token(confirm.text)}).status_code == 303
    q = made["questions"][0]
    answer_token = csrf_token(visitor.get(f"{base}/answer").text)
    sent = visitor.post(f"{base}/answer", data={"csrf_token": answer_token, "step": "0", f"q{q}": "o1"})
    assert sent.status_code == 303
    with app.app_context(), tenant_context(poti):
        row = db.session.scalars(select(SurveyResponse)).one()
        assert row.contact is None and "nino" not in row.respondent_hash
    # the same address again, from another browser: refused before a link goes out
    other = app.test_client()
    again = other.post(f"{base}/email", data={"csrf_token": csrf_token(other.get(base).text),
                                              "email": "nino@example.ge"})
    assert again.status_code == 422 and "უკვე დათვლილია" in again.text


def test_confirmed_by_sms_keeps_the_phone_when_the_survey_says_so(app, client, poti, monkeypatch):
    from portal.services import phone_codes

    made = make_survey(app, poti, access="sms", keeps_contact=True)
    base = f"/poti/surveys/{made['survey']}"
    page = client.get(base).text
    assert "დადასტურებულ ელფოსტის მისამართთან ან ტელეფონთან ერთად" in page
    monkeypatch.setattr(phone_codes.secrets, "randbelow", lambda n: 123456)
    token = csrf_token(page)
    assert client.post(f"{base}/sms", data={"csrf_token": token, "phone": "12"}).status_code == 422
    assert client.post(f"{base}/sms", data={"csrf_token": token, "phone": "555 12 34 56"}).status_code == 303
    code_page = client.get(f"{base}/sms/code")
    wrong = client.post(f"{base}/sms/code", data={"csrf_token": csrf_token(code_page.text), "code": "000000"})
    assert wrong.status_code == 422 and "კოდი არასწორია" in wrong.text
    assert client.post(f"{base}/sms/code", data={"csrf_token": csrf_token(code_page.text),
                                                 "code": "123456"}).status_code == 303
    q = made["questions"][0]
    answer_token = csrf_token(client.get(f"{base}/answer").text)
    sent = client.post(f"{base}/answer", data={"csrf_token": answer_token, "step": "0", f"q{q}": "o2"})
    assert sent.status_code == 303
    with app.app_context(), tenant_context(poti):
        row = db.session.scalars(select(SurveyResponse)).one()
        assert row.contact == "995555123456"  # normalised as the outbox keeps phones
        sent = db.session.scalar(select(func.count(OutboxMessage.id)))
    # the same phone typed another way, from another browser: refused before a code goes out
    other = app.test_client()
    again = other.post(f"{base}/sms", data={"csrf_token": csrf_token(other.get(base).text),
                                            "phone": "+995 555-12-34-56"})
    assert again.status_code == 422 and "ამ ტელეფონიდან პასუხი უკვე დათვლილია" in again.text
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == sent


def test_answers_are_rate_limited_per_address(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_SURVEYS_ANSWER_LIMIT", "2 per minute")
    made = make_survey(app, poti)
    base = f"/poti/surveys/{made['survey']}"
    token = _start(client, base)
    codes = [client.post(f"{base}/answer", data={"csrf_token": token, "step": "0"}).status_code for _ in range(3)]
    assert codes[:2] == [422, 422] and codes[2] == 429
