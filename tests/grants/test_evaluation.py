"""The committee and the grants office: scores per criterion, conflicts of interest, the
others' scores only after one's own, the weighted ranking, decisions within the limits and
the budget, announcing (applicants told), the export; all audited; another municipality's
applications are out of reach."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.grants.models import GrantApplication, GrantCompetition, GrantCriterion
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.grants.conftest import member_client
from tests.grants.factories import make_application, make_competition
from tests.helpers import csrf_token


def _criteria(app, tenant, competition_id) -> list[int]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(GrantCriterion.id).where(
            GrantCriterion.competition_id == competition_id).order_by(GrantCriterion.position)))


def _score(client, application_id, criteria, values, slug="poti"):
    url = f"/{slug}/admin/grants/applications/{application_id}"
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.text)}
    for cid, value in zip(criteria, values, strict=True):
        data[f"score_{cid}"] = str(value)
        data[f"comment_{cid}"] = f"comment {value}"
    return client.post(f"{url}/score", data=data)


def _actions(app, tenant) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.tenant_id == tenant.id).order_by(AuditEntry.id)))


def test_scores_are_hidden_until_one_s_own_are_in(app, poti, committee):
    competition = make_competition(app, poti)
    application = make_application(app, poti, competition)
    criteria = _criteria(app, poti, competition)
    first, second = committee
    assert _score(first, application, criteria, [8, 6]).status_code == 303
    page = second.get(f"/poti/admin/grants/applications/{application}")
    assert "shown once you have submitted your own" in page.text
    assert "comment 8" not in page.text and 'id="scores"' not in page.text
    assert _score(second, application, criteria, [4, 10]).status_code == 303
    page = second.get(f"/poti/admin/grants/applications/{application}")
    assert "comment 8" in page.text and "comment 4" in page.text
    # (8+4)/2/10*60 + (6+10)/2/10*40 = 36 + 32 = 68
    assert "Weighted score: 68.0 of 100." in page.text
    assert "grants.application.scored" in _actions(app, poti)
    assert "read.grant_application" in _actions(app, poti)


def test_scoring_twice_and_out_of_range_scores_are_refused(app, poti, committee):
    competition = make_competition(app, poti)
    application = make_application(app, poti, competition)
    criteria = _criteria(app, poti, competition)
    member = committee[0]
    for values in ([11, 5], [-1, 5], ["x", 5], ["", 5], ["9" * 40, 5]):
        response = _score(member, application, criteria, values)
        assert response.status_code == 422, values
        assert "score from 0 to 10" in response.text
    assert _score(member, application, criteria, [5, 5]).status_code == 303
    response = _score(member, application, criteria, [6, 6])
    assert response.status_code == 422 and "already scored" in response.text


def test_a_conflict_of_interest_bars_scoring_and_the_others_scores(app, poti, committee):
    competition = make_competition(app, poti)
    application = make_application(app, poti, competition)
    criteria = _criteria(app, poti, competition)
    first, second = committee
    assert _score(first, application, criteria, [9, 9]).status_code == 303
    url = f"/poti/admin/grants/applications/{application}"
    response = second.post(f"{url}/conflict", data={
        "csrf_token": csrf_token(second.get(url).text), "note": "my cousin"})
    assert response.status_code == 303
    page = second.get(url)
    assert "declared a conflict of interest" in page.text
    assert 'id="score-form"' not in page.text and "comment 9" not in page.text
    response = _score(second, application, criteria, [1, 1])
    assert response.status_code == 422 and "cannot score it" in response.text
    assert "grants.application.conflict" in _actions(app, poti)


def test_ranking_decisions_announcement_and_export(app, poti, committee, office):
    competition = make_competition(app, poti, total=6000)
    strong = make_application(app, poti, competition, title="ძლიერი", amount=4000)
    weak = make_application(app, poti, competition, title="სუსტი", amount=3000)
    criteria = _criteria(app, poti, competition)
    _score(committee[0], strong, criteria, [9, 9])
    _score(committee[0], weak, criteria, [3, 4])
    page = office.get(f"/poti/admin/grants/{competition}")
    assert page.text.index("ძლიერი") < page.text.index("სუსტი")
    # committee members see no ranking
    assert "Weighted score" not in committee[1].get(f"/poti/admin/grants/{competition}").text

    def decide(application_id, **data):
        url = f"/poti/admin/grants/applications/{application_id}"
        return office.post(f"{url}/decision", data={"csrf_token": csrf_token(office.get(url).text), **data})

    assert decide(strong, decision="funded", amount="6000").status_code == 422  # over the maximum
    assert decide(strong, decision="funded", amount="1000").status_code == 422  # under the minimum
    assert decide(strong, decision="funded", amount="abc").status_code == 422
    assert decide(strong, decision="funded", amount="4000").status_code == 303
    response = decide(weak, decision="funded", amount="3000")  # only 2,000 left of 6,000
    assert response.status_code == 422 and "Only 2,000\u00a0EUR" in response.text
    # the committee cannot decide
    url = f"/poti/admin/grants/applications/{weak}"
    assert committee[0].post(f"{url}/decision", data={
        "csrf_token": csrf_token(committee[0].get(url).text), "decision": "not_funded"}).status_code == 403
    page = office.get(f"/poti/admin/grants/{competition}")
    response = office.post(f"/poti/admin/grants/{competition}/announce",
                           data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 422 and "wait for a decision" in response.text
    assert decide(weak, decision="not_funded", note="ბიუჯეტი ამოიწურა").status_code == 303
    response = office.post(f"/poti/admin/grants/{competition}/announce",
                           data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        subjects = list(db.session.scalars(select(OutboxMessage.body_text).where(
            OutboxMessage.recipient == "applicant@example.ge")))
    assert len(subjects) == 2 and any("4\xa0000" in s or "4,000" in s for s in subjects)
    assert decide(weak, decision="funded", amount="2000").status_code == 422  # announced
    export = office.get(f"/poti/admin/grants/{competition}/export.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "ძლიერი" in export.text and "4000" in export.text and "applicant@example.ge" not in export.text
    actions = _actions(app, poti)
    for action in ("grants.application.decided", "grants.competition.announced",
                   "grants.results.exported"):
        assert action in actions
    # public: the funded project with its total
    public = app.test_client()
    public.set_cookie("lang", "en")
    funded = public.get("/poti/grants/funded")
    assert "ძლიერი" in funded.text and "სუსტი" not in funded.text


def test_staff_of_one_municipality_cannot_read_or_score_another_s(app, staff, poti, abasha, committee):
    competition = make_competition(app, poti)
    application = make_application(app, poti, competition)
    criteria = _criteria(app, poti, competition)
    abasha_member = member_client(app, staff, abasha, ["grants"], "grants@abasha.example.org")
    for url in (f"/abasha/admin/grants/applications/{application}", f"/abasha/admin/grants/{competition}",
                f"/abasha/admin/grants/{competition}/export.csv"):
        assert abasha_member.get(url).status_code == 404, url
    # with Abasha's role, Poti's pages are forbidden
    for url in (f"/poti/admin/grants/applications/{application}", f"/poti/admin/grants/{competition}"):
        assert abasha_member.get(url).status_code == 403, url
    token = csrf_token(abasha_member.get("/abasha/admin/grants/").text)
    data = {"csrf_token": token, **{f"score_{c}": "9" for c in criteria}}
    assert abasha_member.post(f"/abasha/admin/grants/applications/{application}/score",
                              data=data).status_code == 404
    assert abasha_member.post(f"/abasha/admin/grants/applications/{application}/decision", data={
        "csrf_token": token, "decision": "funded", "amount": "3000"}).status_code == 404
    with app.app_context(), tenant_context(poti):
        found = db.session.get(GrantApplication, application)
        assert found.status == "submitted"
        assert db.session.get(GrantCompetition, competition).announced_at is None


def test_drafts_are_not_shown_to_staff(app, poti, office):
    competition = make_competition(app, poti)
    draft = make_application(app, poti, competition, status="draft")
    assert office.get(f"/poti/admin/grants/applications/{draft}").status_code == 404


def test_the_office_publishes_a_call(app, poti, office):
    page = office.get("/poti/admin/grants/new")
    data = {"csrf_token": csrf_token(page.text), "title_ka": "ახალი კონკურსი", "aims_ka": "მიზნები",
            "allows_ngos": "y", "currency": "gel", "total_budget": "30000", "min_amount": "1000",
            "max_amount": "3000", "call_opens_on": "2026-01-10", "deadline": "2026-02-10T18:00",
            "evaluation_until": "2026-03-01", "results_on": "2026-03-15",
            "criteria": "50 | აქტუალობა | Relevance\n40 | ბიუჯეტი", "publish": "y"}
    response = office.post("/poti/admin/grants/new", data=data)
    assert response.status_code == 422 and "add up to 100" in response.text
    data["criteria"] = "60 | აქტუალობა | Relevance\n40 | ბიუჯეტი"
    data["max_amount"] = "50000"
    assert office.post("/poti/admin/grants/new", data=data).status_code == 422
    data["max_amount"] = "3000"
    response = office.post("/poti/admin/grants/new", data=data)
    assert response.status_code == 303
    with app.app_context(), tenant_context(poti):
        call = db.session.scalars(select(GrantCompetition).where(
            GrantCompetition.title_ka == "ახალი კონკურსი")).one()
        assert call.currency == "GEL" and call.max_amount == 300000 and call.is_published
        # 18:00 in Georgia (UTC+4) is 14:00 UTC
        assert call.deadline_at.hour == 14
    assert "grants.competition.created" in _actions(app, poti)


def test_the_call_s_documents_are_uploaded_checked_and_public(app, poti, abasha, office):
    import io

    from tests.grants.factories import PDF

    page = office.get("/poti/admin/grants/new")
    data = {"csrf_token": csrf_token(page.text), "title_ka": "დოკუმენტებიანი", "aims_ka": "მიზნები",
            "allows_ngos": "y", "allows_groups": "y", "currency": "EUR", "total_budget": "10000",
            "min_amount": "1000", "max_amount": "3000", "call_opens_on": "2026-01-10",
            "deadline": "2026-02-10T18:00", "evaluation_until": "2026-03-01",
            "results_on": "2026-03-15", "criteria": "100 | აქტუალობა | Relevance", "publish": "y"}
    bad = office.post("/poti/admin/grants/new", content_type="multipart/form-data", data={
        **data, "documents": [(io.BytesIO(b"<html>"), "წესები.pdf")]})
    assert bad.status_code == 422 and "წესები.pdf" in bad.text
    response = office.post("/poti/admin/grants/new", content_type="multipart/form-data", data={
        **data, "documents": [(io.BytesIO(PDF), "წესები.pdf")]})
    assert response.status_code == 303
    competition = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    public = app.test_client().get(f"/poti/grants/{competition}")
    link = public.text.split(f"/grants/{competition}/documents/")[1].split('"')[0]
    download = app.test_client().get(f"/poti/grants/{competition}/documents/{link}")
    assert download.status_code == 200 and download.get_data() == PDF
    download.close()
    assert app.test_client().get(f"/abasha/grants/{competition}/documents/{link}").status_code == 404
