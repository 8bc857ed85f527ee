"""A citizen applies: a draft saved and taken up again, the budget summed on the server and
checked against the call's limits (htmx recalculates in place), submitted before the deadline
(late is refused in ka and en), a receipt by e-mail and on a page; never a 500."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.grants.models import GrantApplication, GrantBudgetLine
from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.grants.factories import PDF, make_application, make_competition
from tests.helpers import csrf_token

HX = {"HX-Request": "true"}


def _start(client, competition_id: int) -> str:
    page = client.get(f"/poti/grants/{competition_id}/apply")
    assert page.status_code == 200
    response = client.post(f"/poti/grants/{competition_id}/apply",
                           data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    return response.headers["Location"]


def _form(client, url: str, **extra) -> dict:
    data = {"csrf_token": csrf_token(client.get(url).text), "applicant_kind": "ngo",
            "organisation": "ა(ა)იპ „მწვანე ეზო“", "registration_number": "400123456",
            "contact_name": "ნინო ბერიძე", "email": "nino@example.ge", "title": "ეზოს გამწვანება",
            "summary": "ხეები ეზოში.", "description": "დავრგავთ 40 ხეს.",
            "target_groups": "ბავშვები", "activities": "მარტი: დარგვა",
            "item_0": "ნერგები", "amount_0": "2000", "item_1": "ხელსაწყოები", "amount_1": "1,500.50"}
    data.update(extra)
    return data


def _application(app, tenant) -> GrantApplication:
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(GrantApplication).order_by(GrantApplication.id.desc())).first()


def test_anonymous_visitor_is_sent_to_sign_in(app, client, poti):
    competition = make_competition(app, poti)
    response = client.get(f"/poti/grants/{competition}/apply")
    assert response.status_code == 303 and "/accounts/" in response.headers["Location"]


def test_draft_saved_returned_to_and_submitted_with_a_receipt(app, citizen, poti):
    competition = make_competition(app, poti)
    url = _start(citizen, competition)
    assert _start(citizen, competition) == url  # the same draft again
    response = citizen.post(url, data=_form(citizen, url, action="save"))
    assert response.status_code == 303
    saved = _application(app, poti)
    assert saved.status == "draft" and saved.requested_amount == 350050
    page = citizen.get(url)
    assert "1500.50" in page.text and "ეზოს გამწვანება" in page.text
    response = citizen.post(url, data=_form(citizen, url, action="submit"),
                            content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/receipt")
    done = _application(app, poti)
    assert done.status == "submitted" and done.submitted_at is not None
    receipt = citizen.get(response.headers["Location"])
    assert receipt.status_code == 200 and f"G-{competition}-" in receipt.text
    with app.app_context(), tenant_context(poti):
        mail = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == "nino@example.ge")).one()
    assert f"G-{competition}-" in mail.subject and "3,500.5" in mail.body_text
    # a submitted application cannot change
    response = citizen.post(url, data=_form(citizen, url, action="save", title="სხვა"))
    assert response.status_code == 422 and "A submitted application cannot be changed." in response.text
    assert _application(app, poti).title == "ეზოს გამწვანება"


def test_attachments_are_checked_by_content(app, citizen, poti):
    competition = make_competition(app, poti)
    url = _start(citizen, competition)
    data = _form(citizen, url, action="save")
    data["attachments"] = [(__import__("io").BytesIO(b"MZ not a pdf"), "plan.pdf")]
    response = citizen.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "plan.pdf" in response.text
    data = _form(citizen, url, action="save")
    data["attachments"] = [(__import__("io").BytesIO(PDF), "გეგმა.pdf")]
    assert citizen.post(url, data=data, content_type="multipart/form-data").status_code == 303
    assert "გეგმა.pdf" in citizen.get(url).text


def test_budget_outside_the_limits_is_refused(app, citizen, poti):
    competition = make_competition(app, poti)  # 2,000-5,000 EUR
    url = _start(citizen, competition)
    for amounts in ({"amount_0": "1000", "amount_1": "500"}, {"amount_0": "4000", "amount_1": "1000.01"}):
        response = citizen.post(url, data=_form(citizen, url, action="submit", **amounts))
        assert response.status_code == 422
        assert "must be between 2,000\u00a0EUR and 5,000\u00a0EUR" in response.text
        assert _application(app, poti).status == "draft"
    # the limits themselves are allowed
    response = citizen.post(url, data=_form(citizen, url, action="submit", amount_0="5000",
                                            item_1="", amount_1=""))
    assert response.status_code == 303


def test_bad_amounts_and_missing_fields_are_messages_not_errors(app, citizen, poti):
    competition = make_competition(app, poti)
    url = _start(citizen, competition)
    for amount in ("abc", "-5", "1.234", "9" * 30, "1e5"):
        response = citizen.post(url, data=_form(citizen, url, action="save", amount_0=amount))
        assert response.status_code == 422, amount
        assert "Amounts are numbers such as 1500" in response.text
    response = citizen.post(url, data=_form(citizen, url, action="submit", title="", summary=""))
    assert response.status_code == 422 and "the project" in response.text.lower()
    assert _application(app, poti).status == "draft"


def test_htmx_recalculates_the_total_in_place_and_without_js_a_button_does(app, citizen, poti):
    competition = make_competition(app, poti)
    url = _start(citizen, competition)
    token = csrf_token(citizen.get(url).text)
    response = citizen.post(f"{url}/budget", headers=HX, data={
        "csrf_token": token, "item_0": "ნერგები", "amount_0": "1200", "item_1": "მიწა", "amount_1": "300"})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="budget-total"' in response.text and "1,500\u00a0EUR" in response.text
    assert "must be between" in response.text
    response = citizen.post(url, data=_form(citizen, url, action="recalculate"))
    assert response.status_code == 200 and "3,500.5\u00a0EUR" in response.text
    with app.app_context(), tenant_context(poti):
        assert len(db.session.scalars(select(GrantBudgetLine)).all()) == 2


def test_late_submission_is_refused_in_both_languages(app, citizen, poti):
    competition = make_competition(app, poti)
    url = _start(citizen, competition)
    data = _form(citizen, url, action="submit")
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.grants.models import GrantCompetition

        db.session.get(GrantCompetition, competition).deadline_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = citizen.post(url, data=data)
    assert response.status_code == 422
    assert "The deadline for applications was" in response.text
    assert "no longer accepted" in response.text
    assert _application(app, poti).status == "draft"
    citizen.set_cookie("lang", "ka")
    response = citizen.post(url, data=_form(citizen, url, action="submit"))
    assert response.status_code == 422 and "განაცხადების მიღების ვადა" in response.text
    # starting a new application after the deadline is refused too
    other = make_competition(app, poti, deadline=utcnow() - timedelta(hours=1), title="ძველი")
    page = citizen.get(f"/poti/grants/{other}/apply")
    response = citizen.post(f"/poti/grants/{other}/apply", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 422


def test_only_the_call_s_eligible_applicants_may_apply(app, citizen, poti):
    competition = make_competition(app, poti, allows_ngos=False)
    assert "informal initiative groups" in citizen.get(f"/poti/grants/{competition}").text
    url = _start(citizen, competition)
    response = citizen.post(url, data=_form(citizen, url, action="submit"))
    assert response.status_code == 422 and "This call is not open to NGOs." in response.text
    assert _application(app, poti).status == "draft"
    response = citizen.post(url, data=_form(citizen, url, action="submit", applicant_kind="group",
                                             registration_number=""))
    assert response.status_code == 303 and response.headers["Location"].endswith("/receipt")
    assert _application(app, poti).applicant_kind == "group"


def test_the_deadline_is_the_municipality_s_wall_clock(app, poti):
    from datetime import datetime

    from portal.blueprints.grants import applications
    from portal.blueprints.grants.models import GrantCompetition
    from portal.i18n import to_utc

    with app.test_request_context("/poti/"), tenant_context(poti):
        deadline = to_utc(datetime(2026, 3, 1, 18, 0))  # 18:00 in Tbilisi = 14:00 UTC
        assert deadline.hour == 14
        call = GrantCompetition(is_published=True, call_opens_on=datetime(2026, 2, 1).date(),
                                deadline_at=deadline)
        assert applications.is_open(call, deadline - timedelta(seconds=1))
        assert applications.is_open(call, deadline)
        assert not applications.is_open(call, deadline + timedelta(seconds=1))


def test_another_citizen_s_application_is_a_404(app, staff, citizen, poti, abasha):
    competition = make_competition(app, poti)
    other = staff(poti, [], kind="citizen", password=None, enrolled=False, email="other@example.ge")
    theirs = make_application(app, poti, competition, author_id=other.id, status="draft")
    assert citizen.get(f"/poti/grants/applications/{theirs}").status_code == 404
    assert citizen.get(f"/poti/grants/applications/{theirs}/receipt").status_code == 404
    assert citizen.get(f"/abasha/grants/applications/{theirs}").status_code == 404
    mine = make_application(app, poti, competition, author_id=citizen.user.id, status="draft")
    assert citizen.get(f"/poti/grants/applications/{mine}").status_code == 200
    assert citizen.get(f"/abasha/grants/applications/{mine}").status_code == 404


def test_my_page_lists_my_applications(app, citizen, poti):
    competition = make_competition(app, poti)
    make_application(app, poti, competition, author_id=citizen.user.id, status="draft",
                     title="ჩემი პროექტი")
    page = citizen.get("/poti/accounts/me")
    assert page.status_code == 200 and "ჩემი პროექტი" in page.text
