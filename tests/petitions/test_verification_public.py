"""The verification published: once the clerk has marked the whole sample, the petition's page,
its JSON and the open-data CSV give the sample, the count after verification, the estimate
with its 95% interval and whether the threshold is reached with confidence (known values:
244 signatures, a sample of 49, 25 invalid)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate
from sqlalchemy import select

from portal.blueprints.petitions import counting, verification
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.petitions.conftest import make_petition


def _petition(app, tenant, *, threshold: int, signatures: int = 244) -> int:
    """A collecting petition with ``signatures`` counted ones and a drawn 20% sample (49)."""
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = make_petition(opens=now - timedelta(days=3), closes=now + timedelta(days=20),
                                 threshold=threshold)
        db.session.add_all(Signature(
            petition_id=petition.id, full_name=f"ხელმომწერი {n}", unit="ცენტრი" if n % 2 else "",
            personal_number_hash=f"h-{petition.id}-{n}", email=f"v{n}@example.ge",
            has_consent=True, confirmed_at=now - timedelta(hours=n % 50 + 1))
            for n in range(signatures))
        db.session.flush()
        counting.count_confirmed()
        verification.draw_sample(petition, 0.2, seed=7)
        db.session.commit()
        return petition.id


def _mark(app, tenant, pid: int, invalid: int, leave: int = 0) -> None:
    """Mark the sample: the first ``invalid`` invalid, the rest valid but the last ``leave``."""
    with app.app_context(), tenant_context(tenant):
        sampled = db.session.scalars(select(Signature).where(
            Signature.petition_id == pid, Signature.is_sampled.is_(True))
            .order_by(Signature.id)).all()
        for n, signature in enumerate(sampled[:len(sampled) - leave]):
            verification.mark(signature, "invalid" if n < invalid else "valid")
        db.session.commit()


def _section(html: str) -> str:
    start = html.index('id="verification-title"')
    return html[start:html.index("</section>", start)]


def _page(client, pid: int, lang: str = "en") -> str:
    client.set_cookie("lang", lang)
    return client.get(f"/poti/petitions/{pid}").text


@pytest.mark.parametrize(("threshold", "verdict", "sentence"), [
    (201, "No", "Even the highest number of valid signatures the sample allows, 150, stays "
                "below the threshold of 201."),
    (120, "Cannot tell", "The threshold of 120 lies inside the interval"),
    (89, "Yes", "Even the lowest number of valid signatures the sample allows, 89, reaches "
               "the threshold of 89.")])
def test_the_page_publishes_the_finished_sample(app, client, poti, threshold, verdict, sentence):
    pid = _petition(app, poti, threshold=threshold)
    _mark(app, poti, pid, invalid=25)
    section = _section(_page(client, pid))
    assert ("Sample of 49 of 244 signatures checked against the voter list, 25 invalid."
            in section)
    assert "<dt>Count after verification</dt><dd>219</dd>" in section
    assert "<dd>120 (95% interval: 89–150)</dd>" in section
    assert f"Threshold of {threshold} reached with 95% confidence?" in section
    assert f">{verdict}</dd>" in section and sentence in section
    georgian = _section(_page(client, pid, "ka"))
    assert "244" in georgian and "219" in georgian and "Sample of" not in georgian


def test_nothing_is_published_before_the_whole_sample_is_marked(app, client, poti):
    pid = _petition(app, poti, threshold=201)
    _mark(app, poti, pid, invalid=25, leave=1)
    html = _page(client, pid)
    assert 'id="verification-title"' not in html
    assert client.get(f"/poti/petitions/api/petitions/{pid}").get_json()["verification"] is None


def test_the_last_mark_moves_last_modified(app, client, poti):
    pid = _petition(app, poti, threshold=201)
    _mark(app, poti, pid, invalid=25, leave=1)
    earlier = utcnow() - timedelta(minutes=5)
    with app.app_context(), tenant_context(poti):  # as if all this happened minutes ago
        db.session.execute(Petition.__table__.update().where(Petition.id == pid)
                           .values(updated_at=earlier, created_at=earlier))
        db.session.execute(Signature.__table__.update().where(Signature.petition_id == pid)
                           .values(counted_at=earlier))
        db.session.commit()
    client.get(f"/poti/petitions/{pid}")
    stale = client.get(f"/poti/petitions/{pid}")
    assert client.get(f"/poti/petitions/{pid}", headers={
        "If-Modified-Since": stale.headers["Last-Modified"]}).status_code == 304
    _mark(app, poti, pid, invalid=25)
    fresh = client.get(f"/poti/petitions/{pid}",
                       headers={"If-Modified-Since": stale.headers["Last-Modified"]})
    assert fresh.status_code == 200 and 'id="verification-title"' in fresh.text


def test_the_api_and_the_csv_carry_the_result_and_the_counts_by_unit(app, client, poti):
    pid = _petition(app, poti, threshold=201)
    _mark(app, poti, pid, invalid=25)
    spec = client.get("/poti/petitions/api/openapi.json").get_json()
    validate(spec)
    data = client.get(f"/poti/petitions/api/petitions/{pid}").get_json()
    schema = spec["paths"]["/api/petitions/{petition_id}"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": spec["components"]},
                   format_checker=oas31_format_checker).validate(data)
    assert data["verification"] == {
        "population": 244, "sample": 49, "invalid": 25, "count_after_verification": 219,
        "estimated_valid": 120, "valid_low": 89, "valid_high": 150, "confidence": 0.95,
        "threshold": 201, "threshold_reached": "no"}
    units = {(u["kind"], u["unit"]["en"] if u["unit"] else None): u["signatures"]
             for u in data["support_by_unit"]}
    assert units == {("unit", "Centre"): 122, ("unit", "Island"): 0, ("unit", "Nabada"): 0,
                     ("unit", "Maltakva"): 0, ("not_named", None): 122}
    assert sum(d["signatures"] for d in data["signatures_by_day"]) == 244
    assert data["signatures_by_day"][-1]["total"] == 244
    assert "ხელმომწერი" not in str(data)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/poti/petitions/petitions.csv").text.lstrip("\ufeff"))))
    [row] = [r for r in rows if r["id"] == str(pid)]
    assert {k: row[k] for k in ("sample", "invalid", "count_after_verification",
                                "estimated_valid", "valid_low", "valid_high",
                                "threshold_reached")} == {
        "sample": "49", "invalid": "25", "count_after_verification": "219",
        "estimated_valid": "120", "valid_low": "89", "valid_high": "150",
        "threshold_reached": "no"}
