"""The clerk's members' activity reports: write, attach, publish, take back; audit entries;
refused uploads; another municipality's clerk can neither read nor change a report."""

from __future__ import annotations

import io

from sqlalchemy import select

from portal.blueprints.sessions.models import MemberReport
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import all_tenants
from tests.sessions.admin.helpers import english, post
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/sessions"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _report(app, member_id: int, year: int = 2025) -> MemberReport | None:
    with app.app_context(), all_tenants():
        return db.session.scalar(select(MemberReport).where(
            MemberReport.member_id == member_id, MemberReport.year == year))


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("member_report.%")).order_by(AuditEntry.id)))


def test_clerk_writes_attaches_and_publishes_a_report(app, councils, clerk, client):
    english(clerk)
    member_id = councils["poti"].member_id
    page = clerk.get(f"{BASE}/members/{member_id}/reports/2025")
    assert page.status_code == 200 and "Not written yet." in page.text
    response = post(clerk, f"{BASE}/members/{member_id}/reports/2025", {
        "text": "შეხვედრები ამომრჩევლებთან.\n\nსანაპიროს პროექტი.",
        "file": (io.BytesIO(PDF), "ანგარიში.pdf")})
    assert response.status_code == 303
    report = _report(app, member_id)
    assert report.body == "<p>შეხვედრები ამომრჩევლებთან.</p><p>სანაპიროს პროექტი.</p>"
    assert report.file_type == "application/pdf" and report.published_at is None
    assert "სანაპიროს პროექტი" not in client.get("/poti/sessions/members/nino/2025").text
    download = clerk.get(f"{BASE}/reports/{report.id}/file")
    assert download.status_code == 200 and download.data == PDF
    download.close()

    assert post(clerk, f"{BASE}/reports/{report.id}/publish").status_code == 303
    public = client.get("/poti/sessions/members/nino/2025").text
    assert "სანაპიროს პროექტი" in public and f"/poti/sessions/reports/files/{report.id}" in public
    listing = client.get("/poti/sessions/reports/2025").text
    assert "/poti/sessions/members/nino/2025#report" in listing

    assert post(clerk, f"{BASE}/reports/{report.id}/unpublish").status_code == 303
    assert "სანაპიროს პროექტი" not in client.get("/poti/sessions/members/nino/2025").text
    assert _actions(app) == ["member_report.save", "member_report.publish",
                             "member_report.unpublish"]
    overview = clerk.get(f"{BASE}/reports/?year=2025").text
    assert "draft" in overview and f"{BASE}/members/{member_id}/reports/2025" in overview


def test_htmx_save_answers_like_the_plain_form(app, councils, clerk):
    member_id = councils["poti"].member_id
    response = post(clerk, f"{BASE}/members/{member_id}/reports/2025", {"text": "ტექსტი"},
                    htmx=True)
    assert response.status_code == 303 and _report(app, member_id).body == "<p>ტექსტი</p>"


def test_a_file_that_is_not_what_it_says_is_refused(app, councils, clerk):
    english(clerk)
    member_id = councils["poti"].member_id
    response = post(clerk, f"{BASE}/members/{member_id}/reports/2025", {
        "text": "ტექსტი", "file": (io.BytesIO(b"MZ\x90\x00 a program"), "report.pdf")})
    assert response.status_code == 422
    assert "This kind of file cannot be attached" in response.text
    assert _report(app, member_id) is None and _actions(app) == []


def test_an_empty_report_is_refused_in_the_page_s_language(app, councils, clerk):
    member_id = councils["poti"].member_id
    response = post(clerk, f"{BASE}/members/{member_id}/reports/2025", {"text": "  "})
    assert response.status_code == 422 and "დაწერეთ ანგარიში" in response.text
    assert clerk.get(f"{BASE}/members/{member_id}/reports/1800").status_code == 404


def test_another_municipality_s_clerk_can_neither_read_nor_change(app, councils, clerk, staff,
                                                                 abasha, client):
    member_id = councils["poti"].member_id
    post(clerk, f"{BASE}/members/{member_id}/reports/2025",
         {"text": "ფოთის მონახაზი", "file": (io.BytesIO(PDF), "a.pdf")})
    report = _report(app, member_id)
    other = app.test_client()
    signed_in(other, staff(abasha, ["clerk"]))
    theirs = "/abasha/admin/sessions"
    assert other.get(f"{theirs}/members/{member_id}/reports/2025").status_code == 404
    assert other.get(f"{theirs}/reports/{report.id}/file").status_code == 404
    assert "ფოთის მონახაზი" not in other.get(f"{theirs}/reports/?year=2025").text
    token_from = "/abasha/admin/"
    assert post(other, f"{theirs}/reports/{report.id}/publish", token_from=token_from).status_code == 404
    assert post(other, f"{theirs}/members/{member_id}/reports/2025", {"text": "შეცვლილი"},
                token_from=token_from).status_code == 404
    after = _report(app, member_id)
    assert after.published_at is None and "ფოთის მონახაზი" in after.body
    # Nor can the public read a draft, under either municipality.
    assert "ფოთის მონახაზი" not in client.get("/poti/sessions/members/nino/2025").text
    assert client.get(f"/poti/sessions/reports/files/{report.id}").status_code == 404
    # The Poti clerk's own page refuses Poti's clerk nothing; Abasha's clerk is not Poti's.
    assert other.get(f"{BASE}/members/{member_id}/reports/2025").status_code in (302, 403, 404)


def test_the_year_overview_runs_a_constant_number_of_queries(app, councils, clerk, poti):
    from datetime import date

    from portal.blueprints.sessions.council import composition, reports
    from portal.blueprints.sessions.models import Body
    from portal.tenancy import tenant_context
    from tests.helpers import count_queries

    def count() -> int:
        with app.app_context():
            with count_queries(db.engine) as statements:
                assert clerk.get(f"{BASE}/reports/?year=2025").status_code == 200
        return len(statements)

    count()
    few = count()
    with app.app_context(), tenant_context(poti):
        body = db.session.get(Body, councils["poti"].body_id)
        for n in range(6):
            member = composition.save_member(None, slug=f"r{n}", name_ka=f"წევრი {n}")
            composition.add_membership(member, body, starts_on=date(2024, 1, 1))
            reports.save_report(member, 2025, text=f"ანგარიში {n}")
        db.session.commit()
    assert count() == few
