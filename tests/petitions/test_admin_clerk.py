"""The clerk's petition pages: voter count, paper sheets, the sample, the Sakrebulo's steps,
the export."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.blueprints.petitions import signing
from portal.blueprints.petitions.models import Petition, PetitionEvent, Signature, VoterCount
from portal.blueprints.petitions.settings import petitions_settings
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition, record_voters
from tests.sessions.admin_recordings.factories import make_recording
from tests.staff_fixtures import signed_in

BASE = "/poti/admin/petitions"


@pytest.fixture
def clerk(app, staff, poti):
    client = app.test_client()
    signed_in(client, staff(poti, ["clerk"], email="clerk@poti.example.ge"))
    client.set_cookie("lang", "en")
    return client


def _post(client, url, data=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{BASE}/voters").text)
    return client.post(url, data=data)


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _signatures(app, tenant, pid):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Signature).where(Signature.petition_id == pid)
                                  .order_by(Signature.id)).all()


def _add_paper(app, tenant, pid, count):
    with app.app_context(), tenant_context(tenant):
        petition = db.session.get(Petition, pid)
        for n in range(count):
            signing.add_paper_signature(petition, full_name=f"ხელმომწერი {n}",
                                        personal_number=f"{n + 100:011d}")
        db.session.commit()


def test_voter_count_is_recorded_audited_and_sets_the_threshold(app, poti, clerk):
    page = clerk.get(f"{BASE}/voters").text
    assert "No count is recorded yet" in page
    response = _post(clerk, f"{BASE}/voters", {"voters": "20013", "counted_on": "2022-06-21"})
    assert response.status_code == 303
    page = clerk.get(f"{BASE}/voters").text
    assert "Current threshold: 201 signatures" in page and "The dated count wins" in page
    assert len(_audit(app, "petitions.voter_count_set")) == 1


def test_voter_count_refusals_land_on_the_form(app, poti, clerk):
    future = _post(clerk, f"{BASE}/voters", {"voters": "100", "counted_on": "2999-01-01"})
    assert future.status_code == 422 and "cannot be in the future" in future.text
    zero = _post(clerk, f"{BASE}/voters", {"voters": "0", "counted_on": "2022-01-01"})
    assert zero.status_code == 422
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(func.count(VoterCount.id))) == 0


def test_the_dated_count_wins_over_the_settings(app, poti, clerk):
    with app.app_context(), tenant_context(poti):
        petitions_settings.set_many({"threshold": 120})
        db.session.commit()
    assert "give a threshold of 120 signatures" in clerk.get(f"{BASE}/voters").text
    record_voters(app, poti, 30000, date(2024, 1, 1))
    assert "Current threshold: 300 signatures" in clerk.get(f"{BASE}/voters").text


def test_paper_sheet_adds_every_row_or_none(app, poti, clerk):
    pid = make_petition(app, poti, status="collecting")
    bad = _post(clerk, f"{BASE}/{pid}/paper",
                {"rows": "12345678901, ნინო ბერიძე\n123, ლევანი\n\n23456789012\n"})
    assert bad.status_code == 422
    assert "Line 2: A personal number has exactly 11 digits." in bad.text
    assert "Line 4: The name is missing." in bad.text
    assert _signatures(app, poti, pid) == []
    twice = _post(clerk, f"{BASE}/{pid}/paper",
                  {"rows": "12345678901, ნინო ბერიძე\n12345678901\tნინო ბერიძე"})
    assert twice.status_code == 422 and "Line 2:" in twice.text
    assert _signatures(app, poti, pid) == []
    good = _post(clerk, f"{BASE}/{pid}/paper",
                 {"rows": "12345678901, ნინო ბერიძე\n23456789012 ლევან  კაპანაძე\n"})
    assert good.status_code == 303
    rows = _signatures(app, poti, pid)
    assert [(s.full_name, s.is_paper, s.confirmed_at is not None) for s in rows] == [
        ("ნინო ბერიძე", True, True), ("ლევან კაპანაძე", True, True)]
    assert len(_audit(app, "petitions.paper_signatures_added")) == 1


def test_sample_is_drawn_with_its_seed_marked_and_estimated(app, poti, clerk):
    pid = make_petition(app, poti, status="collecting", threshold=5)
    _add_paper(app, poti, pid, 10)
    response = _post(clerk, f"{BASE}/{pid}/sample", {"percent": "50", "seed": "42"})
    assert response.status_code == 303
    page = clerk.get(f"{BASE}/{pid}").text
    assert "Sample: 5 of 10 signatures, seed 42." in page
    sampled = [s for s in _signatures(app, poti, pid) if s.is_sampled]
    assert len(sampled) == 5
    for n, s in enumerate(sampled):
        marked = _post(clerk, f"{BASE}/{pid}/sample/mark",
                       {"signature_id": str(s.id), "validity": "invalid" if n == 0 else "valid"})
        assert marked.status_code == 303
    page = clerk.get(f"{BASE}/{pid}").text
    assert "1 of 5 sampled signatures are invalid. Estimated valid signatures: 8" in page
    assert re.search(r"\)\. The (threshold|estimate)", page), "the verdict is its own sentence"
    assert re.search(r"of them on paper: 10\. Needed: 5\.", page)
    assert len(_audit(app, "petitions.signature_checked")) == 5
    assert [e.after["seed"] for e in _audit(app, "petitions.sample_drawn")] == [42]


def test_marking_another_petitions_signature_is_404(app, poti, clerk):
    pid = make_petition(app, poti, status="collecting")
    other = make_petition(app, poti, status="collecting")
    _add_paper(app, poti, other, 1)
    [signature] = _signatures(app, poti, other)
    response = _post(clerk, f"{BASE}/{pid}/sample/mark",
                     {"signature_id": str(signature.id), "validity": "valid"})
    assert response.status_code == 404


def test_submitted_goes_on_the_agenda_then_is_decided(app, poti, clerk):
    made = make_recording(app, poti)
    pid = make_petition(app, poti, status="submitted")
    assert _post(clerk, f"{BASE}/{pid}/agenda", {"session": ""}).status_code == 422
    assert _post(clerk, f"{BASE}/{pid}/agenda",
                 {"session": str(made.session)}).status_code == 303
    assert _post(clerk, f"{BASE}/{pid}/decision",
                 {"decision": "საკრებულომ მხარი დაუჭირა", "session": str(made.session),
                  "segment": str(made.segment)}).status_code == 303
    with app.app_context(), tenant_context(poti):
        petition = db.session.get(Petition, pid)
        assert (petition.status, petition.session_id, petition.session_segment_id) == (
            "decided", made.session, made.segment)
        events = db.session.scalars(select(PetitionEvent).order_by(PetitionEvent.id)).all()
        assert [e.kind for e in events] == ["on_agenda", "decided"]
        assert events[0].note.startswith("საკრებულოს სხდომა ")
        assert events[1].note == "საკრებულომ მხარი დაუჭირა"
    again = _post(clerk, f"{BASE}/{pid}/decision", {"decision": "x"})
    assert again.status_code == 422


def test_export_says_who_exported_and_is_audited(app, poti, clerk):
    pid = make_petition(app, poti, status="collecting")
    with app.app_context(), tenant_context(poti):
        petition = db.session.get(Petition, pid)
        signing.add_paper_signature(petition, full_name="=HYPERLINK(1)",
                                    personal_number="12345678901")
        db.session.commit()
    response = clerk.get(f"{BASE}/{pid}/signatures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Exported by clerk@poti.example.ge on ")
    assert "12345678901" in lines[2] and "'=HYPERLINK(1)" in lines[2]
    assert [e.target for e in _audit(app, "read.petition_signatures")] == [f"petition:{pid}"]


def test_export_and_clerk_pages_refuse_a_moderator_and_another_municipality(
        app, staff, poti, abasha, clerk):
    pid = make_petition(app, poti, status="collecting")
    theirs = make_petition(app, abasha, status="collecting")
    moderator = app.test_client()
    signed_in(moderator, staff(poti, ["moderator"]))
    for url in (f"{BASE}/", f"{BASE}/voters", f"{BASE}/{pid}", f"{BASE}/{pid}/signatures.csv"):
        assert moderator.get(url).status_code == 403, url
    assert clerk.get(f"{BASE}/{theirs}").status_code == 404
    assert clerk.get(f"{BASE}/{theirs}/signatures.csv").status_code == 404
    assert _audit(app, "read.petition_signatures") == []


def test_index_lists_and_filters(app, poti, abasha, clerk):
    make_petition(app, poti, status="collecting", title="აგროვებს")
    make_petition(app, poti, status="submitted", title="წარდგენილი")
    make_petition(app, poti, status="moderation", title="მოდერაციაში")
    make_petition(app, abasha, status="submitted", title="აბაშის")
    html = clerk.get(f"{BASE}/").text
    assert "აგროვებს" in html and "წარდგენილი" in html
    assert "მოდერაციაში" not in html and "აბაშის" not in html
    filtered = clerk.get(f"{BASE}/?status=submitted").text
    assert "წარდგენილი" in filtered and "აგროვებს" not in filtered


def test_a_refused_mark_says_why_on_the_page(app, poti, clerk):
    pid = make_petition(app, poti, status="collecting")
    _add_paper(app, poti, pid, 2)
    [first, _] = _signatures(app, poti, pid)  # no sample drawn: nothing may be marked
    response = _post(clerk, f"{BASE}/{pid}/sample/mark",
                     {"signature_id": str(first.id), "validity": "invalid"})
    assert response.status_code == 422
    assert re.search(r'<p class="error" role="alert">Only a sampled signature can be marked '
                     r'valid or invalid\.</p>', response.text)
    assert [s.validity for s in _signatures(app, poti, pid)] == [None, None]
    bad_choice = _post(clerk, f"{BASE}/{pid}/sample/mark",
                       {"signature_id": str(first.id), "validity": "maybe"})
    assert bad_choice.status_code == 422 and "Not a valid choice" in bad_choice.text
    assert _audit(app, "petitions.signature_checked") == []
