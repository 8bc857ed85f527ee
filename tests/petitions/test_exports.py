"""The clerk's export reads personal numbers back, and only it; each read is audit-logged; the
CSV and the XLSX file hold the same rows, say who exported them and when, and run no formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.blueprints.petitions import exports, signing
from portal.blueprints.petitions.admin import clerk as exports_view
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.petitions.admin_factories import add_paper
from tests.petitions.admin_factories import make_petition as make_committed
from tests.petitions.conftest import NOW, make_petition, signer
from tests.staff_fixtures import signed_in

WHEN = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)


def test_rows_hold_confirmed_signatures_with_their_numbers(ctx, poti, abasha):
    with tenant_context(abasha):
        signing.add_paper_signature(make_petition(), full_name="აბაშელი",
                                    personal_number="33333333333", now=NOW)
    with tenant_context(poti):
        petition = make_petition()
        online = signing.sign(petition, now=NOW, unit="ცენტრი", **signer(5))
        signing.sign(petition, now=NOW, **signer(6))  # never confirmed
        paper = signing.add_paper_signature(petition, full_name="ქაღალდი",
                                            personal_number="22222222222", now=NOW)
        signing.confirm(signing.confirmation_token(online, now=NOW),
                        now=NOW + timedelta(minutes=1))
        rows = exports.signature_rows(petition)
        assert [(r.position, r.full_name, r.personal_number, r.is_paper) for r in rows] == [
            (1, paper.full_name, "22222222222", True),
            (2, online.full_name, "00000000005", False)]
        assert rows[1].unit == "ცენტრი"
        reads = db.session.scalars(select(AuditEntry.target).where(
            AuditEntry.action == "read.petition_signatures")).all()
        assert reads == [f"petition:{petition.id}"]


def _rows_with_a_formula(poti):
    with tenant_context(poti):
        petition = make_petition()
        signing.add_paper_signature(petition, full_name="=HYPERLINK(\"http://x\")",
                                    personal_number="00000000007", unit="ცენტრი", now=NOW)
        signing.add_paper_signature(petition, full_name="ნინო ბერიძე",
                                    personal_number="12345678901", now=NOW + timedelta(minutes=1))
        return petition, exports.signature_rows(petition)


def test_csv_and_xlsx_share_their_rows_and_quote_formulas(app, poti):
    # The clerk's export route: a GET that records its read (marked writes_on_read).
    with app.test_request_context("/poti/admin/petitions/1/signatures.csv", headers={"Cookie": "lang=en"}):
        app.preprocess_request()
        petition, rows = _rows_with_a_formula(poti)
        csv_text = exports.to_csv(rows, "clerk@poti.example.ge", WHEN)
        xlsx = exports.to_xlsx(rows, "clerk@poti.example.ge", WHEN, "=ნაგვის გატანა")
    lines = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert lines[0] == ["Exported by clerk@poti.example.ge on 2026-03-02 11:30 UTC"]
    assert cells[0][0] == lines[0][0]
    assert cells[1] == lines[1] == ["No.", "Full name", "Personal number", "Unit", "Paper",
                                    "Confirmed", "Checked"]
    assert lines[2] == ["1", "'=HYPERLINK(\"http://x\")", "00000000007", "ცენტრი", "yes",
                        "2026-03-02T10:00:00+00:00", ""]
    assert cells[2] == [1, "'=HYPERLINK(\"http://x\")", "00000000007", "ცენტრი", "yes",
                        datetime(2026, 3, 2, 10, 0), None]
    assert sheet["B3"].data_type == "s" and sheet["C3"].data_type == "s"  # text, not formulas
    assert cells[3][:3] == [2, "ნინო ბერიძე", "12345678901"] and len(cells) == 4
    assert book.properties.creator == "clerk@poti.example.ge"
    assert book.properties.created == datetime(2026, 3, 2, 11, 30)
    assert book.properties.title == "'=ნაგვის გატანა"


@pytest.fixture
def clerk(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["clerk"], email="clerk@poti.example.ge"))
    client.set_cookie("lang", "en")
    return client


def test_clerk_downloads_xlsx_audited_and_only_the_clerk(app, staff, poti, abasha, clerk):
    pid = make_committed(app, poti, status="collecting")
    theirs = make_committed(app, abasha, status="collecting")
    add_paper(app, poti, pid, 3)
    page = clerk.get(f"/poti/admin/petitions/{pid}").text
    assert f"/poti/admin/petitions/{pid}/signatures.xlsx" in page
    response = clerk.get(f"/poti/admin/petitions/{pid}/signatures.xlsx")
    assert response.status_code == 200 and response.mimetype == exports_view.XLSX
    assert "no-store" in response.headers["Cache-Control"]
    assert f'filename="petition-{pid}-signatures.xlsx"' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("Exported by clerk@poti.example.ge on ") and len(rows) == 5
    with app.app_context():
        reads = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "read.petition_signatures")).all()
        assert [(r.target, r.actor_id is not None) for r in reads] == [(f"petition:{pid}", True)]
    moderator = app.test_client()
    signed_in(moderator, staff(poti, ["moderator"]))
    assert moderator.get(f"/poti/admin/petitions/{pid}/signatures.xlsx").status_code == 403
    assert clerk.get(f"/poti/admin/petitions/{theirs}/signatures.xlsx").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "read.petition_signatures")) == 1
