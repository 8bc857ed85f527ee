"""The grants office edits a call (audited with before and after), keeps a draft, publishes it
(subscribers of new calls told once) and takes it off the public pages while nobody has
applied; the criteria stay once scored, the currency once applied for, the whole call once
the results are out; another municipality's office and the committee cannot change it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.grants.models import GrantCompetition, GrantCriterion
from portal.blueprints.subscriptions.models import Notice
from portal.db import utcnow
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.grants.conftest import member_client
from tests.grants.factories import _call_form, make_application, make_competition
from tests.helpers import csrf_token

BASE = "/poti/admin/grants"


def _post(client, url, data=None):
    token = csrf_token(client.get(f"{BASE}/").text)
    return client.post(url, data={"csrf_token": token, **(data or {})})


def _call(app, tenant, competition_id) -> GrantCompetition:
    with app.app_context(), tenant_context(tenant):
        found = db.session.get(GrantCompetition, competition_id)
        db.session.expunge(found)
        return found


def _audits(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _notices(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return [(n.topic, n.item_key) for n in db.session.scalars(select(Notice))]


def _edited(**changes) -> dict:
    return {**_call_form(None, None), **changes}


def test_the_office_edits_a_call_and_the_trail_keeps_before_and_after(app, office, client, poti):
    competition = make_competition(app, poti)
    page = office.get(f"{BASE}/{competition}/edit")
    assert page.status_code == 200 and "60 | აქტუალობა | Relevance" in page.text
    assert 'value="80000' in page.text
    response = _post(office, f"{BASE}/{competition}/edit",
                     _edited(title_ka="ეზოები 2027", title_en="Yards 2027", currency="EUR",
                             criteria="50 | აქტუალობა | Relevance\n50 | გავლენა | Impact"))
    assert response.status_code == 303
    changed = _call(app, poti, competition)
    assert changed.title_ka == "ეზოები 2027" and changed.total_budget == 3000000
    [entry] = _audits(app, "grants.competition.changed")
    assert entry.before["title"] == "მცირე გრანტები" and entry.after["title"] == "ეზოები 2027"
    assert entry.after["criteria"] == ["50 | აქტუალობა | Relevance", "50 | გავლენა | Impact"]
    client.set_cookie("lang", "en")
    assert "Yards 2027" in client.get(f"/poti/grants/{competition}").text


def test_refusals_change_nothing(app, office, committee, poti):
    competition = make_competition(app, poti)
    application = make_application(app, poti, competition)
    with app.app_context(), tenant_context(poti):
        criteria = list(db.session.scalars(select(GrantCriterion.id).where(
            GrantCriterion.competition_id == competition).order_by(GrantCriterion.position)))
    url = f"/poti/admin/grants/applications/{application}"
    token = csrf_token(committee[0].get(url).text)
    assert committee[0].post(f"{url}/score", data={
        "csrf_token": token, f"score_{criteria[0]}": "7", f"score_{criteria[1]}": "5"}).status_code == 303
    cases = [
        (_edited(currency="EUR", criteria="100 | ერთი | One"), "scored applications against these criteria"),
        (_edited(currency="GEL", criteria="60 | აქტუალობა | Relevance\n40 | ბიუჯეტი | Budget"),
         "Applications ask for amounts in this currency"),
        (_edited(min_amount="9000", max_amount="3000"), "minimum ≤ maximum ≤ total budget"),
        (_edited(total_budget="lots"), "Amounts are numbers"),
    ]
    for data, message in cases:
        response = _post(office, f"{BASE}/{competition}/edit", data)
        assert response.status_code == 422 and message in response.text, message
    assert _call(app, poti, competition).currency == "EUR"
    assert _audits(app, "grants.competition.changed") == []
    response = _post(office, f"{BASE}/{competition}/unpublish")
    assert response.status_code == 422 and "it stays public" in response.text
    assert _call(app, poti, competition).is_published


def test_an_announced_call_no_longer_changes(app, office, poti):
    competition = make_competition(app, poti, announced=True, deadline=utcnow() - timedelta(days=30))
    response = _post(office, f"{BASE}/{competition}/edit", _edited())
    assert response.status_code == 422 and "The results are announced" in response.text
    assert "Edit the call" not in office.get(f"{BASE}/{competition}").text


def test_a_draft_is_published_once_and_its_subscribers_told_once(app, office, client, poti):
    from tests.subscriptions.factories import make_subscriber

    make_subscriber(app, poti, topics=("grants.new",))
    response = _post(office, f"{BASE}/new", _edited(publish=""))
    assert response.status_code == 303
    competition = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert not _call(app, poti, competition).is_published
    assert client.get(f"/poti/grants/{competition}").status_code == 404
    assert "Draft" in office.get(f"{BASE}/").text
    assert _notices(app, poti) == []
    for step in ("publish", "unpublish", "publish"):
        assert _post(office, f"{BASE}/{competition}/{step}").status_code == 303
    assert client.get(f"/poti/grants/{competition}").status_code == 200
    assert _notices(app, poti) == [("grants.new", f"grants.new:grant_competition:{competition}")]
    assert len(_audits(app, "grants.competition.published")) == 2
    assert len(_audits(app, "grants.competition.unpublished")) == 1


@pytest.mark.parametrize("step", ["edit", "publish", "unpublish"])
def test_another_municipality_and_the_committee_cannot_change_a_call(app, staff, abasha, poti,
                                                                     committee, step):
    competition = make_competition(app, poti)
    stranger = member_client(app, staff, abasha, ["grants"], "grants@abasha.example.org")
    token = csrf_token(stranger.get("/abasha/admin/grants/").text)
    response = stranger.post(f"/abasha/admin/grants/{competition}/{step}",
                             data={"csrf_token": token, **_edited(title_ka="სხვისი")})
    assert response.status_code == 404
    assert stranger.get(f"/abasha/admin/grants/{competition}/edit").status_code == 404
    assert _post(committee[0], f"{BASE}/{competition}/{step}", _edited(title_ka="სხვისი")).status_code == 403
    found = _call(app, poti, competition)
    assert found.title_ka == "მცირე გრანტები" and found.is_published
