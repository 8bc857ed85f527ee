"""Petitions as open data: the Atom feeds parse and hold the municipality's petitions only,
the JSON API answers as its OpenAPI document says (problem+json errors, constant query count),
the CSV export; no signer's name, personal number or e-mail reaches any of them."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate

from portal.blueprints.petitions import counting, lifecycle
from portal.blueprints.petitions.models import Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import get_directory, tenant_context
from portal.tenancy.settings import profile_settings
from tests.helpers import count_queries
from tests.petitions.conftest import make_petition

ATOM = "{http://www.w3.org/2005/Atom}"
#: Known personal data of the seeded signers, none of which may be published.
SIGNERS = [("ზურაბ მგალობლიშვილი", "01019087654", "zurab.secret@example.ge"),
           ("თამარ კვარაცხელია", "60001234567", "tamar.private@example.ge")]


def _seed(app, tenant, title: str, *, decided: bool = False) -> int:
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = make_petition(title=title, opens=now - timedelta(days=2),
                                 closes=now + timedelta(days=10))
        for name, number, email in SIGNERS:
            db.session.add(Signature(petition_id=petition.id, full_name=name,
                                     personal_number=number, personal_number_hash=number * 2,
                                     email=email, email_normalised=email, has_consent=True,
                                     confirmed_at=now - timedelta(hours=1)))
        db.session.flush()
        counting.count_confirmed()
        if decided:
            lifecycle.move(petition, "submitted", now=now - timedelta(minutes=5))
            lifecycle.move(petition, "on_agenda", now=now - timedelta(minutes=4))
            lifecycle.move(petition, "decided", note="დაკმაყოფილდა", now=now - timedelta(minutes=3))
        db.session.commit()
        return petition.id


@pytest.fixture
def seeded(app, poti, abasha):
    return {"poti_open": _seed(app, poti, "ფოთის ველობილიკი"),
            "poti_decided": _seed(app, poti, "ფოთის სკვერი", decided=True),
            "abasha": _seed(app, abasha, "აბაშის წყალსადენი", decided=True), "poti_id": poti.id}


def _assert_no_personal_data(text: str) -> None:
    for name, number, email in SIGNERS:
        assert name not in text and number not in text and email not in text
        assert name.split()[1] not in text and email.split("@")[0] not in text


def _entries(response) -> list[ET.Element]:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text
    return root.findall(f"{ATOM}entry")


def test_feeds_parse_and_hold_the_municipalitys_petitions_only(client, seeded):
    opened = client.get("/poti/petitions/opened.atom")
    titles = [e.find(f"{ATOM}title").text for e in _entries(opened)]
    assert set(titles) == {"ფოთის ველობილიკი", "ფოთის სკვერი"}
    link = _entries(opened)[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http") and "/petitions/" in link
    changes = client.get("/poti/petitions/changes.atom")
    steps = [e.find(f"{ATOM}title").text for e in _entries(changes)]
    assert len(steps) == 3 and all("ფოთის სკვერი" in s for s in steps)
    assert "დაკმაყოფილდა" in changes.text
    for response in (opened, changes):
        assert "აბაშის" not in response.text
        _assert_no_personal_data(response.text)
    assert "max-age" in opened.headers["Cache-Control"] and "Accept-Language" in opened.headers["Vary"]
    [abasha] = _entries(client.get("/abasha/petitions/opened.atom"))
    assert abasha.find(f"{ATOM}title").text == "აბაშის წყალსადენი"
    assert len(_entries(client.get("/abasha/petitions/changes.atom"))) == 3


def test_every_page_links_the_feeds(client, seeded):
    html = client.get("/poti/petitions/").text
    assert 'type="application/atom+xml"' in html
    assert "/poti/petitions/opened.atom" in html and "/poti/petitions/changes.atom" in html
    assert "/poti/petitions/petitions.csv" in html and "/poti/petitions/api/" in html


def _check(spec: dict, path: str, instance) -> None:
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    root = {**schema, "components": spec["components"]}
    OAS31Validator(root, format_checker=oas31_format_checker).validate(instance)


def test_api_answers_as_documented_without_personal_data(client, seeded):
    spec = client.get("/poti/petitions/api/openapi.json").get_json()
    validate(spec)
    listing = client.get("/poti/petitions/api/petitions")
    _check(spec, "/api/petitions", listing.get_json())
    assert {p["title"] for p in listing.get_json()["petitions"]} == {"ფოთის ველობილიკი", "ფოთის სკვერი"}
    assert {p["signature_count"] for p in listing.get_json()["petitions"]} == {2}
    decided = client.get("/poti/petitions/api/petitions?status=decided").get_json()["petitions"]
    assert [p["title"] for p in decided] == ["ფოთის სკვერი"]
    assert [p["title"] for p in client.get(
        "/poti/petitions/api/petitions?q=ველო").get_json()["petitions"]] == ["ფოთის ველობილიკი"]
    one = client.get(f"/poti/petitions/api/petitions/{seeded['poti_decided']}")
    _check(spec, "/api/petitions/{petition_id}", one.get_json())
    assert [e["step"] for e in one.get_json()["timeline"]] == ["submitted", "on_agenda", "decided"]
    for response in (listing, one):
        assert "აბაშის" not in response.text
        _assert_no_personal_data(response.text)
    assert "/poti/petitions/api/openapi.json" in client.get("/poti/petitions/api/").text


@pytest.mark.parametrize("path,status", [
    ("/api/petitions?status=draft", 400), ("/api/petitions?page=0", 400),
    ("/api/petitions?q=" + "x" * 101, 400), ("/api/petitions/999999", 404),
    ("/api/nothing", 404)])
def test_api_errors_are_problem_json(client, seeded, path, status):
    response = client.get("/poti/petitions" + path)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]


def test_another_municipalitys_petition_is_not_found(client, seeded):
    assert client.get(f"/poti/petitions/api/petitions/{seeded['abasha']}").status_code == 404
    assert client.get(f"/abasha/petitions/api/petitions/{seeded['abasha']}").status_code == 200


def test_api_list_query_count_is_constant(app, client, poti, seeded):
    def queries() -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            assert client.get("/poti/petitions/api/petitions").status_code == 200
        return len(statements)

    few = queries()
    for n in range(5):
        _seed(app, poti, f"კიდევ ერთი {n}", decided=bool(n % 2))
    assert queries() == few


def test_csv_export_has_petitions_and_counts_only(client, seeded):
    response = client.get("/poti/petitions/petitions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {r["title"]: r["signature_count"] for r in rows} == {
        "ფოთის ველობილიკი": "2", "ფოთის სკვერი": "2"}
    _assert_no_personal_data(response.text)


def test_platform_list_has_open_petitions_of_municipalities_with_the_feature(app, client, seeded):
    html = client.get("/petitions/").text
    assert "ფოთის ველობილიკი" in html and "ფოთის სკვერი" not in html  # decided: not open
    assert "აბაშის" not in html  # Abasha's only petition is decided
    abasha_open = _seed(app, get_directory(app).by_slug("abasha"), "აბაშის ბაღი")
    html = client.get("/petitions/").text
    assert "აბაშის ბაღი" in html and f"/abasha/petitions/{abasha_open}" in html
    _assert_no_personal_data(html)
    with app.app_context():
        profile_settings.set_many({"features.off": ["petitions"]}, tenant_id=seeded["poti_id"])
        db.session.commit()
    get_directory(app).invalidate()
    html = client.get("/petitions/").text
    assert "ფოთის ველობილიკი" not in html and "აბაშის ბაღი" in html
