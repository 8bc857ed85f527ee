"""Members' activity reports: attendance figures from a constructed archive, year boundaries in
the municipality's zone (Asia/Tbilisi, UTC+4), the report verbs and the public pages."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import FileStorage

from portal.blueprints.sessions.council import attendance, composition, queries, reports, services
from portal.blueprints.sessions.council import year_figures as figures
from portal.blueprints.sessions.models import Body, Member
from portal.extensions import db
from portal.services.sanitize import text_or_html
from portal.services.uploads import UploadRefused
from portal.tenancy import tenant_context
from tests.helpers import count_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _member(slug: str) -> Member:
    """A member with their seats loaded, as the pages load one."""
    return queries.member_by_slug(slug)


def _held(body, title, at, roll=()):
    session = services.create_session(body, title, at, status="held")
    for member, status in roll:
        attendance.record_attendance(session, member, status)
    return session


@pytest.fixture
def council(poti):
    """Ana sits in the Sakrebulo all along; Beka joins the committee on 1 June 2025."""
    with tenant_context(poti):
        sakrebulo = Body(slug="sakrebulo", name_ka="საკრებულო", name_en="Sakrebulo", kind="council")
        committee = Body(slug="finance", name_ka="ფინანსური კომისია", name_en="Finance")
        ana = Member(slug="ana", name_ka="ანა", name_en="Ana")
        beka = Member(slug="beka", name_ka="ბექა", name_en="Beka")
        db.session.add_all([sakrebulo, committee, ana, beka])
        db.session.flush()
        composition.add_membership(ana, sakrebulo, starts_on=date(2021, 11, 1), role="წევრი")
        composition.add_membership(beka, committee, starts_on=date(2025, 6, 1))
        # 00:30 on 1 January 2025 in Poti, still 2024 in UTC: a 2025 sitting.
        _held(sakrebulo, "ახალი წლის სხდომა", datetime(2024, 12, 31, 20, 30, tzinfo=UTC),
              [(ana, "present")])
        _held(sakrebulo, "თებერვალი", datetime(2025, 2, 10, 8, tzinfo=UTC), [(ana, "present")])
        _held(sakrebulo, "მარტი", datetime(2025, 3, 10, 8, tzinfo=UTC), [(ana, "absent")])
        _held(sakrebulo, "აპრილი", datetime(2025, 4, 10, 8, tzinfo=UTC), [(ana, "excused")])
        _held(sakrebulo, "მაისი", datetime(2025, 5, 10, 8, tzinfo=UTC))  # roll not recorded
        services.create_session(sakrebulo, "დაგეგმილი", datetime(2025, 6, 10, 8, tzinfo=UTC))
        # 23:30 on 31 December 2025 in Poti: still 2025; an hour later it is 2026 there.
        _held(sakrebulo, "წლის ბოლო", datetime(2025, 12, 31, 19, 30, tzinfo=UTC), [(ana, "absent")])
        _held(sakrebulo, "2026 წლის პირველი", datetime(2025, 12, 31, 20, 30, tzinfo=UTC),
              [(ana, "present")])
        _held(committee, "კომისია მარტში", datetime(2025, 3, 1, 8, tzinfo=UTC))  # before Beka
        _held(committee, "კომისია ივლისში", datetime(2025, 7, 1, 8, tzinfo=UTC), [(beka, "present")])
        db.session.commit()
    return {"ana": ana, "beka": beka, "sakrebulo": sakrebulo}


def test_year_bounds_are_the_municipality_s_midnights(poti):
    with tenant_context(poti):
        assert figures.year_bounds(2025) == (datetime(2024, 12, 31, 20, tzinfo=UTC),
                                             datetime(2025, 12, 31, 20, tzinfo=UTC))


def test_attendance_figures_of_a_member_s_year(poti, council):
    with tenant_context(poti):
        year = figures.member_year(_member("ana"), 2025)
        titles = [s.session.title for s in year.sittings]
        assert titles == ["ახალი წლის სხდომა", "თებერვალი", "მარტი", "აპრილი", "მაისი", "წლის ბოლო"]
        f = year.figures
        assert (f.held, f.present, f.absent, f.excused, f.unrecorded) == (6, 2, 2, 1, 1)
        assert f.rate == pytest.approx(0.4)
        assert [s.body.slug for s in year.seats] == ["sakrebulo"]
        next_year = figures.member_year(_member("ana"), 2026)
        assert [s.session.title for s in next_year.sittings] == ["2026 წლის პირველი"]
        assert figures.member_year(_member("ana"), 2024).figures.held == 0


def test_only_sittings_of_a_seat_held_that_day_count(poti, council):
    with tenant_context(poti):
        f = figures.member_year(_member("beka"), 2025).figures
        assert (f.held, f.present, f.rate) == (1, 1, 1.0)
        assert figures.member_year(_member("beka"), 2024).seats == []


def test_year_table_agrees_with_the_member_pages(poti, council):
    with tenant_context(poti):
        rows = {r.member.slug: r for r in figures.year_table(2025)}
        assert set(rows) == {"ana", "beka"}
        assert rows["ana"].figures == figures.member_year(_member("ana"), 2025).figures
        assert rows["beka"].figures.held == 1
        assert [r.member.slug for r in figures.year_table(2024)] == ["ana"]


def test_report_text_is_cleaned_and_a_file_checked_by_content(poti, council):
    with tenant_context(poti):
        report = reports.save_report(council["ana"], 2025, text="შეხვედრები\n\nბიუჯეტი")
        assert report.body == "<p>შეხვედრები</p><p>ბიუჯეტი</p>"
        report = reports.save_report(council["ana"], 2025, text="<p>ა</p><script>x</script>")
        assert report.body == "<p>ა</p>"
        with pytest.raises(UploadRefused) as refused:
            reports.save_report(council["ana"], 2025, text="ტექსტი",
                                upload=_upload(b"not really a pdf", "report.pdf"))
        assert refused.value.field == "file"
        db.session.rollback()


def test_plain_text_comes_back_as_typed_for_editing():
    typed = "შეხვედრები <ამომრჩევლებთან> & სხვა\nმეორე ხაზი\n\nბიუჯეტი"
    stored = text_or_html(typed)
    assert stored == "<p>შეხვედრები &lt;ამომრჩევლებთან&gt; &amp; სხვა<br>მეორე ხაზი</p><p>ბიუჯეტი</p>"
    assert reports.editable_text(stored) == typed
    assert reports.editable_text("<p><strong>ა</strong></p>") == "<p><strong>ა</strong></p>"


def test_a_report_needs_text_or_a_file_and_a_real_year(poti, council):
    with tenant_context(poti):
        with pytest.raises(services.ArchiveError):
            reports.save_report(council["ana"], 2025, text="   ")
        with pytest.raises(services.ArchiveError):
            reports.save_report(council["ana"], 1800, text="ტექსტი")
        db.session.rollback()


def test_publish_and_unpublish(poti, council):
    with tenant_context(poti):
        report = reports.save_report(council["ana"], 2025, text="",
                                     upload=_upload(PDF, "ანგარიში.pdf"))
        assert report.file_type == "application/pdf" and not report.is_published
        assert reports.publish(report) and report.published_at is not None
        assert not reports.publish(report)
        assert reports.unpublish(report) and report.published_at is None


def test_public_year_page_shows_attendance_and_only_a_published_report(client, poti, council):
    with tenant_context(poti):
        report = reports.save_report(council["ana"], 2025, text="სანაპიროს პროექტი")
        db.session.commit()
    client.set_cookie("lang", "en")
    html = client.get("/poti/sessions/members/ana/2025").text
    assert "40%" in html and "The archive does not record how each member voted" in html
    assert "სანაპიროს პროექტი" not in html and "No activity report has been published" in html
    with tenant_context(poti):
        reports.publish(report)
        db.session.commit()
    html = client.get("/poti/sessions/members/ana/2025").text
    assert "სანაპიროს პროექტი" in html and "Published on" in html
    member_page = client.get("/poti/sessions/members/ana").text
    assert 'href="/poti/sessions/members/ana/2025"' in member_page
    assert client.get("/poti/sessions/members/ana/1800").status_code == 404
    assert client.get("/abasha/sessions/members/ana/2025").status_code == 404


def test_report_file_is_public_only_once_published(client, poti, council):
    with tenant_context(poti):
        report = reports.save_report(council["ana"], 2025, upload=_upload(PDF, "report.pdf"))
        db.session.commit()
        report_id = report.id
    assert client.get(f"/poti/sessions/reports/files/{report_id}").status_code == 404
    with tenant_context(poti):
        reports.publish(db.session.get(type(report), report_id))
        db.session.commit()
    response = client.get(f"/poti/sessions/reports/files/{report_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert client.get(f"/abasha/sessions/reports/files/{report_id}").status_code == 404


def test_year_list_page_is_a_table_with_rates(client, poti, council):
    client.set_cookie("lang", "en")
    html = client.get("/poti/sessions/reports/2025").text
    assert 'class="table"' in html and 'data-label="Attendance"' in html
    assert "40%" in html and "100%" in html
    assert client.get("/poti/sessions/reports/").headers["Location"].endswith("/reports/2025")


def test_year_list_page_runs_a_constant_number_of_queries(app, client, poti, council):
    def count() -> int:
        with count_queries(db.engine) as statements:
            assert client.get("/poti/sessions/reports/2025").status_code == 200
        return len(statements)

    client.get("/poti/sessions/reports/2025")  # warm caches (the search form's choices, etc.)
    few = count()
    with tenant_context(poti):
        for n in range(8):
            member = composition.save_member(None, slug=f"m{n}", name_ka=f"წევრი {n}")
            composition.add_membership(member, council["sakrebulo"], starts_on=date(2024, 1, 1))
            session = _held(council["sakrebulo"], f"სხდომა {n}",
                            datetime(2025, 8, 1 + n, 8, tzinfo=UTC), [(member, "present")])
            assert session
            reports.publish(reports.save_report(member, 2025, text=f"ანგარიში {n}"))
        db.session.commit()
    assert count() == few
