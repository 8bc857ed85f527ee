"""The answer page (validation, tampering, expiry, a second answer: clear messages in ka and en,
nothing changes, never a 500), the public summary (no personal data, approved comments only),
the staff's dashboard and moderation (audited), and tenancy: one municipality's staff can
neither read nor change another's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.satisfaction.models import Invitation
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.satisfaction.factories import make_invitation
from tests.staff_fixtures import signed_in

MESSAGES = {
    "en": {"rating": "Choose a rating from 1 to 5.",
           "again": "You have already answered this invitation; your first answer counts.",
           "bad": "This link is not valid.", "expired": "This link has expired"},
    "ka": {"rating": "აირჩიეთ შეფასება 1-დან 5-მდე.",
           "again": "ამ მოწვევას უკვე უპასუხეთ; ითვლება თქვენი პირველი პასუხი.",
           "bad": "ეს ბმული არასწორია.", "expired": "ამ ბმულს ვადა გაუვიდა"},
}


def invitation(app, tenant, invitation_id) -> Invitation:
    with app.app_context(), tenant_context(tenant):
        return db.session.get(Invitation, invitation_id)


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_answer_once_with_clear_refusals(app, client, poti, abasha, lang):
    client.set_cookie("lang", lang)
    words = MESSAGES[lang]
    invitation_id, link = make_invitation(app, poti)
    url = f"/poti/satisfaction/answer/{link}"
    page = client.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    token = csrf_token(page.text)
    for bad in ({}, {"rating": "7"}, {"rating": "0"}, {"rating": "x"}, {"rating": "4", "comment": "x" * 2001}):
        answer = client.post(url, data={"csrf_token": token, **bad})
        assert answer.status_code == 422, bad
        if "comment" not in bad:
            assert words["rating"] in answer.text
    assert invitation(app, poti, invitation_id).answered_at is None
    fragment = client.post(url, data={"csrf_token": token, "rating": "5",
                                      "comment": "<script>alert(1)</script> კარგი\x07"}, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="answer"' in fragment.text
    saved = invitation(app, poti, invitation_id)
    assert (saved.rating, saved.comment, saved.comment_state) == (5, "<script>alert(1)</script> კარგი", "new")
    again = client.post(url, data={"csrf_token": token, "rating": "1"})
    assert again.status_code == 409 and words["again"] in again.text
    swapped = client.post(url, data={"csrf_token": token, "rating": "1"}, headers=HTMX)
    assert swapped.status_code == 422 and words["again"] in swapped.text  # htmx swaps 422 only
    assert invitation(app, poti, invitation_id).rating == 5
    assert words["again"] not in client.get(url).text  # the page just says it was recorded
    assert client.get(f"/abasha/satisfaction/answer/{link}").status_code == 404
    tampered = client.get(url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"))
    assert tampered.status_code == 404 and words["bad"] in tampered.text
    assert client.post("/poti/satisfaction/answer/x" * 1, data={"csrf_token": token, "rating": "3"}).status_code == 404


def test_a_plain_post_redirects_and_the_page_thanks(app, client, poti):
    client.set_cookie("lang", "en")
    _id, link = make_invitation(app, poti)
    url = f"/poti/satisfaction/answer/{link}"
    token = csrf_token(client.get(url).text)
    done = client.post(url, data={"csrf_token": token, "rating": "3"})
    assert done.status_code == 303 and done.headers["Location"].endswith(url)
    page = client.get(url)
    assert "Thank you: your answer is recorded." in page.text and "3: fair" in page.text


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_an_expired_link_says_so(app, client, poti, lang):
    client.set_cookie("lang", lang)
    _id, link = make_invitation(app, poti, sent_days_ago=61)
    page = client.get(f"/poti/satisfaction/answer/{link}")
    assert page.status_code == 410 and MESSAGES[lang]["expired"] in page.text
    token = csrf_token(client.get("/poti/accounts/sign-in").text)  # a page with a form
    answer = client.post(f"/poti/satisfaction/answer/{link}", data={"csrf_token": token, "rating": "4"})
    assert answer.status_code == 410


def test_the_public_summary_has_figures_and_approved_comments_only(app, client, poti, abasha):
    make_invitation(app, poti, kind="letter", rating=5, comment="დიდი მადლობა, სწრაფად მოაგვარეს.",
                    comment_state="approved")
    make_invitation(app, poti, kind="service", rating=2, comment="საიდუმლო: ნინო, 555123456")
    make_invitation(app, poti, kind="petition")
    make_invitation(app, abasha, kind="service", rating=1, comment="აბაშის კომენტარი", comment_state="approved")
    client.set_cookie("lang", "en")
    page = client.get("/poti/satisfaction/")
    assert page.status_code == 200
    html = page.text
    assert '<svg class="chart"' in html and "Satisfaction by kind" in html and "Year against year" in html
    assert "დიდი მადლობა" in html and "საიდუმლო" not in html and "აბაშის" not in html
    assert "Response rate: 67%" in html and "Average rating: 3.5 of 5" in html
    assert "სოციალური სამსახური" not in html  # departments are for staff
    ka = client.get("/abasha/satisfaction/", headers={"Cookie": "lang=ka"})
    assert ka.status_code == 200 and "აბაშის კომენტარი" in ka.text


def test_staff_see_their_municipality_and_moderate_with_an_audit(app, staff, poti, abasha):
    poti_staff, abasha_staff = app.test_client(), app.test_client()
    signed_in(poti_staff, staff(poti, ["mayors_office"]))
    signed_in(abasha_staff, staff(abasha, ["admin"]))
    poti_staff.set_cookie("lang", "en")
    commented, _link = make_invitation(app, poti, rating=2, comment="რიგი ძალიან გრძელი იყო.")
    make_invitation(app, abasha, rating=4, comment="აბაშაში ყველაფერი კარგად იყო.")
    page = poti_staff.get("/poti/admin/satisfaction/")
    assert page.status_code == 200
    assert "რიგი ძალიან გრძელი იყო." in page.text and "აბაშაში" not in page.text
    assert "Satisfaction by department" in page.text and "სოციალური სამსახური" in page.text
    assert poti_staff.get("/poti/admin/satisfaction/?year=abc&comments=zzz&page=-1").status_code == 200
    fragment = poti_staff.get("/poti/admin/satisfaction/?comments=approved", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    token = csrf_token(page.text)
    # Abasha's admin cannot touch Poti's comment, under either prefix.
    assert abasha_staff.post(f"/abasha/admin/satisfaction/comments/{commented}/hide",
                             data={"csrf_token": token}).status_code in (400, 404)
    abasha_token = csrf_token(abasha_staff.get("/abasha/admin/satisfaction/").text)
    assert abasha_staff.post(f"/abasha/admin/satisfaction/comments/{commented}/hide",
                             data={"csrf_token": abasha_token}).status_code == 404
    assert abasha_staff.post(f"/poti/admin/satisfaction/comments/{commented}/hide",
                             data={"csrf_token": abasha_token}).status_code == 403
    assert invitation(app, poti, commented).comment_state == "new"
    approved = poti_staff.post(f"/poti/admin/satisfaction/comments/{commented}/approve",
                               data={"csrf_token": token, "comments": "new"})
    assert approved.status_code == 303
    assert invitation(app, poti, commented).comment_state == "approved"
    assert "რიგი ძალიან გრძელი იყო." in app.test_client().get("/poti/satisfaction/").text
    poti_staff.post(f"/poti/admin/satisfaction/comments/{commented}/hide", data={"csrf_token": token})
    assert invitation(app, poti, commented).comment_state == "hidden"
    assert "რიგი ძალიან" not in app.test_client().get("/poti/satisfaction/").text
    with app.app_context(), tenant_context(poti):
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target == f"satisfaction:{commented}").order_by(AuditEntry.id)))
    assert actions == ["satisfaction.comment_approved", "satisfaction.comment_hidden"]
    # a row without a comment: refused with a message, nothing changes, no 500
    bare, _ = make_invitation(app, poti, rating=3)
    refused = poti_staff.post(f"/poti/admin/satisfaction/comments/{bare}/approve", data={"csrf_token": token})
    assert refused.status_code == 409 and "There is no comment to change." in refused.text
    assert invitation(app, poti, bare).comment_state == ""


def test_people_without_the_permission_are_refused(app, staff, poti):
    editor = app.test_client()
    signed_in(editor, staff(poti, ["editor"]))
    assert editor.get("/poti/admin/satisfaction/").status_code == 403
    assert app.test_client().get("/poti/admin/satisfaction/").status_code == 303  # to sign-in


def test_the_dashboard_panel_counts_new_comments(app, staff, poti):
    admin = app.test_client()
    signed_in(admin, staff(poti, ["admin"]))
    admin.set_cookie("lang", "en")
    make_invitation(app, poti, rating=1, comment="ცუდი")
    page = admin.get("/poti/admin/")
    assert "Citizen satisfaction: comments to read" in page.text and "New comments to read: 1" in page.text


def test_the_demo_gives_both_municipalities_two_years(app, poti, abasha):
    from portal.blueprints.satisfaction.demo import load_demo_satisfaction
    from portal.blueprints.satisfaction.stats import summary

    with app.app_context():
        first = load_demo_satisfaction()
        db.session.commit()
        assert load_demo_satisfaction() == first  # idempotent
        for tenant in (poti, abasha):
            with tenant_context(tenant):
                figures = summary()
                assert len(figures.years) >= 2 and figures.total.answered > 100
                assert {b.key for b in figures.by_kind} == {"letter", "petition", "service"}
                assert {year for _kind, year in figures.by_kind_year} == set(figures.years)
        db.session.rollback()


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_staff_compare_each_department_year_against_year(app, staff, poti, lang):
    from portal.blueprints.satisfaction.demo import load_demo_satisfaction
    from portal.blueprints.satisfaction.stats import summary

    with app.app_context():
        load_demo_satisfaction()
        db.session.commit()
        with tenant_context(poti):
            figures = summary()
            department = figures.departments[0]
            years = figures.years
            cells = {year: figures.by_department_year.get((department, year)) for year in years}
            assert len(years) >= 2 and all(cell and cell.answered for cell in cells.values())
            assert sum(b.invited for b in figures.by_department) == figures.total.invited
            assert sum(b.invited for (_d, _y), b in figures.by_department_year.items()) == \
                figures.total.invited
    person = app.test_client()
    signed_in(person, staff(poti, ["mayors_office"]))
    person.set_cookie("lang", lang)
    html = person.get(f"/poti/admin/satisfaction/?year={years[-1]}").text
    table = html.split('id="by-department-year"', 1)[1].split("</table>", 1)[0]
    caption = {"en": "Average rating by department, year against year",
               "ka": "საშუალო შეფასება სამსახურების მიხედვით, წლების შედარება"}[lang]
    assert caption in table and department in table
    row = table.split(department, 1)[1].split("</tr>", 1)[0]
    for year in years:  # every year, whichever one the dashboard shows above
        cell = row.split(f'data-label="{year}">', 1)[1].split("</td>", 1)[0]
        assert f"({cells[year].answered}" in cell and "—" not in cell
    # the public summary names no department
    public = app.test_client().get("/poti/satisfaction/").text
    assert 'id="by-department-year"' not in public and department not in public
