"""Public pages: the calls, one call, funded projects with computed totals, a project with
its reports; the winner's report with spending lines and photos; Poti's demo (23 projects,
80,000 EUR); Abasha never shows Poti's; never a 500."""

from __future__ import annotations

import io
from datetime import timedelta

from portal.db import utcnow
from tests.grants.factories import PNG, make_application, make_competition
from tests.helpers import csrf_token


def _en(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def test_calls_and_the_call_page_in_both_languages(app, client, poti, abasha):
    competition = make_competition(app, poti)
    for lang, word in (("en", "Apply"), ("ka", "განაცხადის")):
        client.set_cookie("lang", lang)
        assert client.get("/poti/grants/").status_code == 200
        page = client.get(f"/poti/grants/{competition}")
        assert page.status_code == 200 and word in page.text
    assert _en(app).get(f"/abasha/grants/{competition}").status_code == 404
    assert client.get("/poti/grants/999999999").status_code == 404
    assert client.get("/poti/grants/99999999999999999999").status_code == 404


def test_funded_totals_are_computed_and_unannounced_decisions_stay_private(app, poti, abasha):
    announced = make_competition(app, poti, announced=True, deadline=utcnow() - timedelta(days=40))
    for amount in (2000, 5000, 3500):
        make_application(app, poti, announced, status="funded", awarded=amount, title=f"პროექტი {amount}")
    make_application(app, poti, announced, status="not_funded", title="უარი")
    pending = make_competition(app, poti, deadline=utcnow() - timedelta(days=1), title="მიმდინარე")
    make_application(app, poti, pending, status="funded", awarded=4000, title="ჯერ საიდუმლო")
    page = _en(app).get("/poti/grants/funded")
    assert "funded 3 projects for 10,500\u00a0EUR" in page.text
    assert "პროექტი 5000" in page.text and "უარი" not in page.text and "ჯერ საიდუმლო" not in page.text
    assert "funded 3 projects" not in _en(app).get("/abasha/grants/funded").text


def test_the_winner_reports_with_spending_and_photos(app, citizen, poti):
    announced = make_competition(app, poti, announced=True, deadline=utcnow() - timedelta(days=40))
    project = make_application(app, poti, announced, status="funded", awarded=3000,
                               author_id=citizen.user.id, title="ეზოს გამწვანება")
    url = f"/poti/grants/applications/{project}"
    page = citizen.get(url)
    assert page.status_code == 200 and 'id="report-form"' in page.text
    token = csrf_token(page.text)
    bad = citizen.post(f"{url}/reports", data={"csrf_token": token, "kind": "progress", "text": "x",
                                               "item_0": "ნერგები", "amount_0": "lots"})
    assert bad.status_code == 422 and "Every spending line" in bad.text
    response = citizen.post(f"{url}/reports", content_type="multipart/form-data", data={
        "csrf_token": token, "kind": "final", "text": "დავრგეთ 40 ხე.",
        "item_0": "ნერგები", "amount_0": "2000", "item_1": "ხელსაწყოები", "amount_1": "950",
        "photos": [(io.BytesIO(PNG), "ხეები.png")]})
    assert response.status_code == 303, [line for line in response.text.splitlines() if "error" in line]
    public = _en(app).get(f"/poti/grants/projects/{project}")
    assert public.status_code == 200
    assert "დავრგეთ 40 ხე." in public.text and "2,950\u00a0EUR" in public.text
    photo = public.text.split("/photos/")[1].split('"')[0]
    download = _en(app).get(f"/poti/grants/projects/{project}/photos/{photo}")
    assert download.status_code == 200 and download.get_data().startswith(b"\x89PNG")
    download.close()
    assert _en(app).get(f"/abasha/grants/projects/{project}").status_code == 404


def test_a_not_funded_or_unannounced_project_has_no_public_page(app, poti):
    announced = make_competition(app, poti, announced=True, deadline=utcnow() - timedelta(days=40))
    refused = make_application(app, poti, announced, status="not_funded")
    pending = make_competition(app, poti)
    secret = make_application(app, poti, pending, status="funded", awarded=3000)
    for application in (refused, secret):
        assert _en(app).get(f"/poti/grants/projects/{application}").status_code == 404


def test_poti_demo_funded_23_projects_for_80000_eur(app, poti, abasha):
    from flask import current_app  # noqa: F401

    from portal.blueprints.grants.demo import load_demo_grants

    with app.app_context():
        load_demo_grants()
        load_demo_grants()  # idempotent
        from portal.extensions import db

        db.session.commit()
    page = _en(app).get("/poti/grants/funded")
    assert "funded 23 projects for 80,000\u00a0EUR" in page.text
    index = _en(app).get("/poti/grants/")
    assert "Open for applications" in index.text
    abasha_index = _en(app).get("/abasha/grants/")
    assert "Open for applications" in abasha_index.text and "GEL" in abasha_index.text
    assert "funded 23" not in abasha_index.text
