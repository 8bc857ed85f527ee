"""Saved searches of the archive: a new session, agenda item, document or transcript line that
matches is sent once to the search's subscribers, with the moment's link; a rerun, a second
worker or a transcript fetched again sends nothing; what does not match, what was there before
and another municipality's archive never send anything."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from portal.blueprints.sessions import search_alerts
from portal.blueprints.sessions.council import documents, services
from portal.blueprints.sessions.models import Recording, SavedSearch, SavedSearchMatch
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.blueprints.subscriptions.models import Notice
from portal.blueprints.subscriptions.services import check_choices
from portal.extensions import db
from portal.jobs import REGISTRY
from portal.jobs.runner import run_job
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.subscriptions.conftest import outbox
from tests.subscriptions.factories import make_subscriber

RECORDED = Path(__file__).parent.parent / "recorded" / "documents"
PORT = "პორტის"


def follow(app, tenant, words, address=None, locale="ka") -> int:
    with tenant_context(tenant):
        search_id = search_alerts.save_search(words).id
        db.session.commit()
    make_subscriber(app, tenant, topics=(f"{search_alerts.TOPIC}:{search_id}",),
                    address=address, locale=locale)
    return search_id


def _job(app, tenant, name, **kwargs):
    import portal.blueprints.sessions.tasks  # noqa: F401 - registers the jobs
    import portal.blueprints.subscriptions.tasks  # noqa: F401

    return run_job(app, REGISTRY[name], tenant.id, kwargs, task_id=f"t-{name}")


def deliver(app, tenant) -> list:
    """Run the saved searches as the schedule does, then the notices' sending: the messages
    this run queued."""
    before = {m.id for m in outbox(app, tenant)}
    _job(app, tenant, "send_search_alerts")
    with tenant_context(tenant):
        queued = list(db.session.scalars(select(Notice.id).where(Notice.state != "sent")))
    for notice_id in queued:
        _job(app, tenant, "send_notice", notice_id=notice_id)
    return [m for m in outbox(app, tenant) if m.id not in before]


def _new_recording(tenant, session, cues, external="port1"):
    with tenant_context(tenant):
        recording = Recording(source="youtube", external_id=external, title="ჩანაწერი",
                              url="https://www.youtube.com/watch?v=p", session_id=session.id,
                              published_at=session.starts_at)
        db.session.add(recording)
        db.session.flush()
        recordings.replace_transcript(recording, cues)
        db.session.commit()
        return recording


def test_a_new_transcript_line_is_sent_once_with_the_moment(app, archives, poti):
    a = archives["poti"]
    follow(app, poti, "პორტი", address="nino@example.ge")
    assert deliver(app, poti) == []  # nothing new yet
    recording = _new_recording(poti, a.session, [
        Cue(60, 64, "დღის წესრიგის პირველი საკითხი"),
        Cue(125, 130, f"{PORT} განვითარების გეგმა წარმოდგენილია", "ნინო ბერიძე")])
    [message] = deliver(app, poti)
    assert message.recipient == "nino@example.ge" and message.locale == "ka"
    moment = (f"http://poti.gov.ge/sessions/{a.session.id}?recording={recording.id}&t=125"
              "#player")
    assert moment in message.revealed
    assert message.subject == "„პორტი“ საკრებულოს არქივში"
    assert "2:05 — ნინო ბერიძე: " in message.revealed
    assert deliver(app, poti) == []  # a second run sends nothing
    with tenant_context(poti):  # the transcript fetched again: the same lines, new rows
        recordings.replace_transcript(db.session.get(Recording, recording.id), [
            Cue(60, 64, "დღის წესრიგის პირველი საკითხი"),
            Cue(125, 130, f"{PORT} განვითარების გეგმა წარმოდგენილია", "ნინო ბერიძე")])
        db.session.commit()
    assert deliver(app, poti) == []


def test_a_new_session_agenda_item_and_document_each_send_one_message(app, archives, poti):
    a = archives["poti"]
    follow(app, poti, "პორტ", address="nino@example.ge", locale="en")
    with tenant_context(poti):
        session = services.create_session(a.body, f"{PORT} საკითხებზე რიგგარეშე სხდომა",
                                          datetime(2026, 1, 20, 8, tzinfo=UTC), status="held")
        db.session.commit()
    [message] = deliver(app, poti)
    assert message.locale == "en" and "in the Sakrebulo archive" in message.subject
    assert f"http://poti.gov.ge/sessions/{session.id}" in message.revealed
    assert "#player" not in message.revealed
    with tenant_context(poti):
        services.add_agenda_item(a.session, f"{PORT} ტერიტორიის იჯარა")
        db.session.commit()
    [message] = deliver(app, poti)
    assert f"http://poti.gov.ge/sessions/{a.session.id}" in message.revealed
    assert "Agenda:" in message.revealed and "ტერიტორიის იჯარა" in message.revealed
    with tenant_context(poti):
        document = documents.add_document(a.old_session, "ოქმი.pdf",
                                          (RECORDED / "minutes-ka.pdf").read_bytes(),
                                          kind="minutes", title=f"{PORT} ოქმი")
        db.session.commit()
    assert deliver(app, poti) == []  # its text is being read: the run waits for it
    with tenant_context(poti):
        assert documents.extract_pending(document.id) == "ready"
        db.session.commit()
    [message] = deliver(app, poti)
    assert f"http://poti.gov.ge/sessions/{a.old_session.id}" in message.revealed
    assert "Document:" in message.revealed
    assert deliver(app, poti) == []


def test_what_does_not_match_or_was_there_before_sends_nothing(app, archives, poti):
    a = archives["poti"]
    follow(app, poti, "წყალარინება")  # in the archive already: not new
    follow(app, poti, "პორტი")
    with tenant_context(poti):
        services.add_agenda_item(a.session, "სკოლის რემონტი")
        db.session.commit()
    _new_recording(poti, a.session, [Cue(5, 9, "ბიუჯეტის შესრულება")])
    assert deliver(app, poti) == []
    with tenant_context(poti):  # nothing waits for the next run either
        assert db.session.scalar(select(func.count(SavedSearchMatch.id))) == 0


def test_another_municipality_never_matches(app, archives, poti, abasha):
    follow(app, abasha, "პორტი", address="abasha@example.ge")
    follow(app, poti, "პორტი", address="poti@example.ge")
    _new_recording(poti, archives["poti"].session, [Cue(125, 130, f"{PORT} განვითარება")])
    assert deliver(app, abasha) == []
    assert [m.recipient for m in deliver(app, poti)] == ["poti@example.ge"]
    with tenant_context(abasha):
        assert db.session.scalar(select(func.count(SavedSearchMatch.id))) == 0


def test_a_second_worker_with_the_same_watermark_sends_nothing_twice(app, archives, poti):
    search_id = follow(app, poti, "პორტი")
    with tenant_context(poti):
        seen = db.session.get(SavedSearch, search_id).seen_segment_id
    _new_recording(poti, archives["poti"].session, [Cue(125, 130, f"{PORT} განვითარება"),
                                                    Cue(140, 150, f"{PORT} ტერმინალი")])
    [message] = deliver(app, poti)  # both lines in one message
    assert "ტერმინალი" in message.revealed and "განვითარება" in message.revealed
    with tenant_context(poti):  # another worker that read the watermark before this run
        db.session.execute(update(SavedSearch).values(seen_segment_id=seen))
        db.session.commit()
    assert deliver(app, poti) == []


def test_saved_words_limits_and_the_same_search_once(app, poti):
    with app.test_request_context("/poti/"), tenant_context(poti):
        first = search_alerts.save_search("  პორტის   განვითარება ")
        assert search_alerts.save_search("ᲞᲝᲠᲢᲘᲡ განვითარება!").id == first.id
        assert first.query == "პორტის განვითარება"
        with pytest.raises(DomainError) as refused:
            search_alerts.save_search("ა" * 101)
        assert refused.value.field == "q"
        with pytest.raises(DomainError):
            search_alerts.save_search(" … ")
        ids = [search_alerts.save_search(f"სიტყვა{n}").id for n in range(11)]
        with pytest.raises(DomainError) as refused:
            check_choices([(search_alerts.TOPIC, i) for i in ids])
        assert refused.value.field == "topics" and "10" in str(refused.value)
        assert len(check_choices([(search_alerts.TOPIC, i) for i in ids[:10]])) == 10


def test_unfollowed_searches_are_deleted_after_a_day(app, poti):
    from datetime import timedelta

    from portal.db import utcnow

    kept = follow(app, poti, "პორტი")
    with tenant_context(poti):
        lone = search_alerts.save_search("ბიუჯეტი").id
        assert search_alerts.purge_unfollowed() == 0  # the form may still be open
        assert search_alerts.purge_unfollowed(utcnow() + timedelta(days=2)) == 1
        assert db.session.get(SavedSearch, lone) is None
        assert db.session.get(SavedSearch, kept) is not None


def test_nothing_is_kept_for_later_while_subscriptions_are_off(app, archives, poti):
    from portal.tenancy import get_directory
    from portal.tenancy.settings import profile_settings

    follow(app, poti, "პორტი")
    profile_settings.set_many({"features.off": ["subscriptions"]}, tenant_id=poti.id)
    db.session.commit()
    get_directory(app).invalidate()
    _new_recording(poti, archives["poti"].session, [Cue(125, 130, f"{PORT} განვითარება")])
    assert deliver(app, poti) == []
    profile_settings.set_many({"features.off": []}, tenant_id=poti.id)
    db.session.commit()
    get_directory(app).invalidate()
    assert deliver(app, poti) == []  # switched on again: only what appears from now on
