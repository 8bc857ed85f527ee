"""The public statistics against known numbers; the writer asked once, 14 days on, whether
the answer was useful (a signed link, a POST form, once); contacts erased after closing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.blueprints.letters import anonymise, feedback, stats
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.letters.conftest import letter, letters, outbox
from tests.letters.factories import make_letter


def _at(day: int, month: int = 3, hour: int = 8) -> datetime:
    # 08:00 UTC is noon in Tbilisi: the same calendar day in the municipality.
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _known_letters(app, poti, abasha):
    # March 2026: four letters received. Answered after 2, 4 and 9 days; due 12 March for all.
    rows = [(_at(2), _at(4), "useful"), (_at(3), _at(7), "not_useful"), (_at(5), _at(14), None),
            (_at(20), None, None)]
    for received, answered, said in rows:
        make_letter(app, poti, status="answered" if answered else "received", received_at=received,
                    answered_at=answered, due_on=date(2026, 3, 12), feedback=said)
    # One received 30 March (a March arrival) and answered 1 April (an April answer), on time.
    make_letter(app, poti, status="answered", received_at=_at(30), answered_at=_at(1, 4),
                due_on=date(2026, 4, 13), feedback="useful")
    make_letter(app, abasha, status="answered", received_at=_at(2), answered_at=_at(3))


def test_monthly_numbers(app, poti, abasha):
    _known_letters(app, poti, abasha)
    with app.app_context(), tenant_context(poti):
        months, total = stats.monthly()
    april, march = months
    assert (march.month, march.received, march.answered) == (date(2026, 3, 1), 5, 3)
    assert march.median_days == 4.0 and march.on_time == 2 and march.on_time_percent == 67
    assert (april.received, april.answered, april.median_days, april.on_time_percent) == (0, 1, 2.0, 100)
    assert (total.received, total.answered, total.median_days, total.on_time_percent) == (5, 4, 3.0, 75)
    assert total.feedback == {"useful": 2, "not_useful": 1}


def test_statistics_page_shows_the_table_without_personal_data(app, client, poti, abasha):
    _known_letters(app, poti, abasha)
    client.set_cookie("lang", "en")
    page = client.get("/poti/letters/statistics")
    assert page.status_code == 200
    html = page.text
    assert "March 2026" in html and "April 2026" in html and "<table" in html
    assert '<svg class="chart"' in html and "Letters received per month" in html
    assert "67%" in html and "75%" in html and "2 of 3" in html
    assert "ნინო ბერიძე" not in html and "writer@example.ge" not in html
    assert client.get("/abasha/letters/statistics").status_code == 200


def test_writers_are_asked_once_and_answer_once(app, client, poti, abasha):
    now = datetime.now(UTC)
    answered, _ = make_letter(app, poti, status="answered", answered_at=now - timedelta(days=15),
                              email="answered@example.ge")
    recent, _ = make_letter(app, poti, status="answered", answered_at=now - timedelta(days=3))
    late, _ = make_letter(app, poti, status="in_progress", due_on=date.today() - timedelta(days=15),
                          email="late@example.ge")
    make_letter(app, abasha, status="answered", answered_at=now - timedelta(days=20))
    with app.app_context(), tenant_context(poti):
        assert feedback.ask_due(now) == 2
        db.session.commit()
        assert feedback.ask_due(now) == 0  # once
    mails = outbox(app, poti)
    assert sorted(m.recipient for m in mails) == ["answered@example.ge", "late@example.ge"]
    assert all("[redacted]" in m.body_text for m in mails)
    assert letter(app, poti, recent).feedback_asked_at is None
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.letters.models import Letter

        link = feedback.token(db.session.get(Letter, answered))
    page = client.get(f"/poti/letters/feedback/{link}")
    assert page.status_code == 200 and letter(app, poti, answered).feedback is None  # GET changes nothing
    token = csrf_token(page.text)
    bad = client.post(f"/poti/letters/feedback/{link}", data={"csrf_token": token, "answer": "maybe"})
    assert bad.status_code == 422
    good = client.post(f"/poti/letters/feedback/{link}", data={"csrf_token": token, "answer": "acknowledgement"})
    assert good.status_code == 200 and letter(app, poti, answered).feedback == "acknowledgement"
    again = client.post(f"/poti/letters/feedback/{link}", data={"csrf_token": token, "answer": "useful"})
    assert again.status_code == 200 and letter(app, poti, answered).feedback == "acknowledgement"
    assert client.get(f"/abasha/letters/feedback/{link}").status_code == 404
    assert client.get("/poti/letters/feedback/forged.token").status_code == 404


def test_contacts_are_erased_after_closing_and_counts_stay(app, poti):
    now = datetime.now(UTC)
    old, _ = make_letter(app, poti, status="closed", closed_at=now - timedelta(days=400),
                         answered_at=now - timedelta(days=401), phone="+995555123456", address="x")
    fresh, _ = make_letter(app, poti, status="closed", closed_at=now - timedelta(days=30))
    still_open, _ = make_letter(app, poti, status="in_progress")
    with app.app_context(), tenant_context(poti):
        before = stats.monthly()[1]
        assert anonymise.anonymise_closed(now) == 1
        assert anonymise.anonymise_closed(now) == 0
        after = stats.monthly()[1]
        db.session.commit()
    erased = letter(app, poti, old)
    assert (erased.full_name, erased.email, erased.phone, erased.address) == ("", "", "", "")
    assert erased.subject and erased.anonymised_at is not None
    assert letter(app, poti, fresh).email and letter(app, poti, still_open).email
    assert (before.received, before.answered) == (after.received, after.answered)
    assert len(letters(app, poti)) == 3


def test_jobs_run_per_municipality(app, runner, poti):
    now = datetime.now(UTC)
    make_letter(app, poti, status="answered", answered_at=now - timedelta(days=20))
    result = runner.invoke(args=["jobs", "run", "ask_letter_feedback", "--tenant", "poti"])
    assert result.exit_code == 0, result.output
    assert len(outbox(app, poti)) == 1
    result = runner.invoke(args=["jobs", "run", "anonymise_letters", "--tenant", "poti"])
    assert result.exit_code == 0, result.output
