"""Invitations: recorded once per thing, sent by the channel the citizen used, at most one per
person in 30 days, contacts blanked once sent; letters' question rides on the invitation
(one message about one letter); a decided petition invites its author."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.satisfaction import invitations
from portal.blueprints.satisfaction.models import Invitation
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.letters.factories import make_letter
from tests.petitions.admin_factories import make_petition
from tests.staff_fixtures import make_staff


def rows(app, tenant) -> list[Invitation]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(Invitation).order_by(Invitation.id)))


def outbox(app, tenant) -> list[OutboxMessage]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_invited_once_by_their_channel_and_at_most_once_a_month(app, poti, abasha):
    now = datetime.now(UTC)
    with app.app_context(), tenant_context(poti):
        assert invitations.invite("service", 1, "სოციალური სამსახური", email="a@example.ge", locale="en")
        assert invitations.invite("service", 1, "სოციალური სამსახური", email="a@example.ge")  # no-op
        assert invitations.invite("service", 2, "არქიტექტურა", phone="555 12 34 56")
        assert invitations.invite("service", 3, email="A@Example.ge ")  # the same person
        assert not invitations.invite("service", 4)  # nobody to ask
        assert not invitations.invite("service", 5, email="not an address")
        assert invitations.send_pending(now) == 2
        db.session.commit()
        assert invitations.send_pending(now) == 0  # once
        db.session.commit()
    with app.app_context(), tenant_context(abasha):
        assert invitations.invite("service", 1, email="a@example.ge")  # another municipality's own
        db.session.commit()
    made = rows(app, poti)
    assert [(r.subject_id, r.channel, r.status) for r in made] == [
        (1, "email", "sent"), (2, "sms", "sent"), (3, "email", "limited")]
    assert all(r.email == "" and r.phone == "" for r in made)  # contacts forgotten once sent
    assert made[0].locale == "en" and made[1].locale == "ka"
    mails = outbox(app, poti)
    assert sorted((m.channel, m.recipient) for m in mails) == [("email", "a@example.ge"),
                                                               ("sms", "995555123456")]
    assert all("[redacted]" in m.body_text for m in mails)  # the link is sealed
    assert "How did we do?" in next(m.subject for m in mails if m.channel == "email")
    assert len(rows(app, abasha)) == 1 and rows(app, abasha)[0].status == "pending"
    with app.app_context(), tenant_context(poti):  # a month on, the same person may be asked again
        assert invitations.invite("petition", 9, email="a@example.ge")
        assert invitations.send_pending(now + timedelta(days=31)) == 1
        db.session.commit()


def test_nothing_is_recorded_where_satisfaction_is_off(app, poti):
    from dataclasses import replace

    config = poti.config.model_copy(update={"features": poti.config.features.model_copy(
        update={"off": ["satisfaction"]})})
    with app.app_context(), tenant_context(replace(poti, config=config)):
        assert not invitations.invite("letter", 1, email="a@example.ge")
    assert rows(app, poti) == []


def test_letters_ask_their_question_inside_the_one_invitation(app, client, poti):
    from portal.blueprints.letters import feedback, stats
    from portal.blueprints.satisfaction.links import token
    from tests.helpers import csrf_token

    now = datetime.now(UTC)
    letter_id, _code = make_letter(app, poti, status="answered", answered_at=now - timedelta(days=15),
                                   email="writer@example.ge", department="ინფრასტრუქტურა")
    with app.app_context(), tenant_context(poti):
        assert feedback.ask_due(now) == 1
        db.session.commit()
        assert feedback.ask_due(now) == 0
    [mail] = outbox(app, poti)
    assert mail.recipient == "writer@example.ge" and mail.idempotency_key.startswith("satisfaction:")
    [row] = rows(app, poti)
    assert (row.kind, row.subject_id, row.department) == ("letter", letter_id, "ინფრასტრუქტურა")
    with app.app_context(), tenant_context(poti):
        link = token(db.session.get(Invitation, row.id))
    client.set_cookie("lang", "en")
    page = client.get(f"/poti/satisfaction/answer/{link}")
    assert page.status_code == 200 and "Did you get a useful answer?" in page.text
    missing = client.post(f"/poti/satisfaction/answer/{link}",
                          data={"csrf_token": csrf_token(page.text), "rating": "4"})
    assert missing.status_code == 422 and "Choose one of the answers." in missing.text
    done = client.post(f"/poti/satisfaction/answer/{link}", data={
        "csrf_token": csrf_token(page.text), "rating": "4", "extra": "useful"})
    assert done.status_code == 303
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.letters.models import Letter

        assert db.session.get(Letter, letter_id).feedback == "useful"
        assert stats.monthly()[1].feedback == {"useful": 1}
        assert db.session.get(Invitation, row.id).rating == 4


def test_letters_ask_their_own_way_where_satisfaction_is_off(app, poti):
    from dataclasses import replace

    from portal.blueprints.letters import feedback

    now = datetime.now(UTC)
    make_letter(app, poti, status="in_progress", due_on=date.today() - timedelta(days=20),
                email="late@example.ge")
    config = poti.config.model_copy(update={"features": poti.config.features.model_copy(
        update={"off": ["satisfaction"]})})
    with app.app_context(), tenant_context(replace(poti, config=config)):
        assert feedback.ask_due(now) == 1
        db.session.commit()
    [mail] = outbox(app, poti)
    assert mail.idempotency_key.startswith("letters.feedback:")
    assert rows(app, poti) == []


def test_a_decided_petition_invites_its_author(app, poti):
    from portal.blueprints.petitions import lifecycle
    from portal.blueprints.petitions.models import Petition

    author = make_staff(app, poti, [], kind="citizen", email="author@example.ge")
    petition_id = make_petition(app, poti, status="submitted", author_id=author.id)
    with app.app_context(), tenant_context(poti):
        lifecycle.move(db.session.get(Petition, petition_id), "decided")
        db.session.commit()
        assert invitations.send_pending() == 1
        db.session.commit()
    [row] = rows(app, poti)
    assert (row.kind, row.subject_id, row.channel, row.status) == ("petition", petition_id, "email", "sent")
    assert any(m.recipient == "author@example.ge" and m.idempotency_key == f"satisfaction:{row.id}"
               for m in outbox(app, poti))


def test_the_job_sends_per_municipality(app, runner, poti):
    with app.app_context(), tenant_context(poti):
        invitations.invite("service", 77, email="job@example.ge")
        db.session.commit()
    result = runner.invoke(args=["jobs", "run", "send_satisfaction_invitations", "--tenant", "poti"])
    assert result.exit_code == 0, result.output
    assert [m.recipient for m in outbox(app, poti)] == ["job@example.ge"]


def test_a_completed_service_request_invites_by_the_channel_used(app, poti):
    """What municipal_services' ``events.on_completed`` hands over (plain values)."""
    from types import SimpleNamespace

    done = SimpleNamespace(kind="appointment", request_id=41, tenant_id=poti.id,
                           department_name={"ka": "სოციალური სამსახური", "en": "Social service"},
                           email="", phone="+995555000111", locale="en", status="completed")
    with app.app_context(), tenant_context(poti):
        invitations.service_completed(done)
        invitations.service_completed(done)  # announced twice: still one invitation
        invitations.service_completed(SimpleNamespace(**{**vars(done), "request_id": 42, "phone": "bad"}))
        db.session.commit()
    [row] = rows(app, poti)
    assert (row.kind, row.subject_id, row.department, row.channel, row.locale) == (
        "service", 41, "სოციალური სამსახური", "sms", "en")


def test_satisfaction_listens_to_municipal_services(app):
    from portal.blueprints.municipal_services import events

    assert invitations.service_completed in events.on_completed
