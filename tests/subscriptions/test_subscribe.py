"""The public side: subscribe with double opt-in (the link's GET changes nothing, its POST
confirms), the honeypot and bad input, the manage page, leaving, one-click unsubscribe, and
another municipality's tokens out of reach."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.subscriptions.conftest import link_in, outbox
from tests.subscriptions.factories import make_subscriber

BASE = "/poti/subscriptions"


def _subscribe(client, email="nino@example.ge", topics=("emergency", "petitions.new"), **extra):
    token = csrf_token(client.get(f"{BASE}/").text)
    return client.post(f"{BASE}/", data={"csrf_token": token, "email": email,
                                         "topics": list(topics), **extra})


def _subscriber(app, tenant, address="nino@example.ge"):
    with app.app_context(), tenant_context(tenant):
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.address == address))
        if subscriber is not None:
            db.session.expunge(subscriber)
        return subscriber


def _count(app, tenant, model=Subscriber):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(func.count(model.id)))


def test_the_form_lists_topics_in_georgian_and_english(client):
    page = client.get(f"{BASE}/")
    assert page.status_code == 200
    assert "გამოწერა" in page.text and "საგანგებო განცხადებები" in page.text
    assert 'name="website"' in page.text and 'name="csrf_token"' in page.text
    assert "news.city_hall" in page.text and "projects.new" in page.text
    client.set_cookie("lang", "en")
    page = client.get(f"{BASE}/")
    assert "Emergency announcements" in page.text and "New petitions" in page.text


def test_double_opt_in_get_changes_nothing_post_confirms(app, client, poti):
    response = _subscribe(client, email="Nino@Example.ge")
    assert response.status_code == 303 and response.location.endswith("/subscriptions/sent")
    subscriber = _subscriber(app, poti)
    assert subscriber is not None and subscriber.confirmed_at is None
    [mail] = outbox(app, poti)
    assert mail.recipient == "nino@example.ge" and mail.locale == "ka"
    assert "[redacted]" in mail.body_text  # the token is never stored readable
    path = link_in(mail, "/subscriptions/confirm/")
    for _ in range(3):  # a mail scanner fetching the link confirms nothing
        page = client.get(path)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        assert _subscriber(app, poti).confirmed_at is None
    done = client.post(path, data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 200 and "დადასტურებულია" in done.text
    assert _subscriber(app, poti).confirmed_at is not None
    again = client.post(path, data={"csrf_token": csrf_token(page.text)})
    assert again.status_code == 200 and _count(app, poti) == 1


def test_confirming_without_the_form_token_changes_nothing(app, client, poti):
    _id, confirm, _manage = make_subscriber(app, poti, confirmed=False)
    response = client.post(f"{BASE}/confirm/{confirm}", data={})
    assert response.status_code == 400
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Subscriber, _id).confirmed_at is None


def test_a_bad_or_foreign_confirmation_link_is_not_found(app, client, abasha):
    _id, confirm, manage = make_subscriber(app, abasha, confirmed=False)
    assert client.get(f"{BASE}/confirm/{confirm}").status_code == 404
    assert client.get(f"{BASE}/confirm/nonsense").status_code == 404
    assert client.get(f"{BASE}/manage/{manage}").status_code == 404
    assert client.get(f"/abasha/subscriptions/manage/{manage}").status_code == 200


def test_the_honeypot_keeps_nothing(app, client, poti):
    response = _subscribe(client, website="http://spam.example")
    assert response.status_code == 303
    assert _count(app, poti) == 0 and outbox(app, poti) == []


def test_bad_input_is_answered_in_the_visitors_language(app, english, poti):
    response = _subscribe(english, email="not an address", topics=())
    assert response.status_code == 422
    assert "Enter an e-mail address" in response.text and "Choose at least one" not in response.text
    response = _subscribe(english, topics=())
    assert response.status_code == 422 and 'aria-describedby="topics-error"' in response.text
    response = _subscribe(english, topics=("no.such.topic",))
    assert response.status_code == 422
    assert _count(app, poti) == 0


def test_a_confirmed_address_only_gets_its_manage_link(app, client, poti):
    _id, _confirm, manage = make_subscriber(app, poti, address="nino@example.ge",
                                            topics=("emergency",))
    assert _subscribe(client, topics=("petitions.new",)).status_code == 303
    with app.app_context(), tenant_context(poti):
        topics = db.session.scalars(select(Subscription.topic)).all()
    assert topics == ["emergency"]  # nobody changes another person's topics by their address
    [mail] = outbox(app, poti)
    assert link_in(mail, "/subscriptions/manage/").endswith(manage)


def test_a_petition_is_followed_from_its_link(app, client, poti):
    from tests.petitions.factories import make_petition

    petition_id = make_petition(app, poti)
    page = client.get(f"{BASE}/?topic=petitions.petition:{petition_id}")
    assert re.search(rf'<input checked [^>]*value="petitions.petition:{petition_id}"', page.text)
    assert _subscribe(client, topics=(f"petitions.petition:{petition_id}",)).status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.scalars(select(Subscription.object_id)).all() == [petition_id]
    assert _subscribe(client, email="x@example.ge",
                      topics=("petitions.petition:999999",)).status_code == 422


def test_manage_changes_topics_and_leaving_deletes_the_contact(app, client, poti):
    _id, _confirm, manage = make_subscriber(app, poti, topics=("emergency",))
    page = client.get(f"{BASE}/manage/{manage}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    saved = client.post(f"{BASE}/manage/{manage}", data={
        "csrf_token": csrf_token(page.text), "topics": ["petitions.new", "sessions.upcoming"]})
    assert saved.status_code == 200
    with app.app_context(), tenant_context(poti):
        assert sorted(db.session.scalars(select(Subscription.topic))) == [
            "petitions.new", "sessions.upcoming"]
    refused = client.post(f"{BASE}/manage/{manage}", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 422
    left = client.post(f"{BASE}/manage/{manage}/leave", data={"csrf_token": csrf_token(page.text)})
    assert left.status_code == 200
    assert _count(app, poti) == 0 and _count(app, poti, Subscription) == 0
    assert client.get(f"{BASE}/manage/{manage}").status_code == 404


def test_one_click_unsubscribe_leaves_without_a_form_token(app, client, poti, abasha):
    _id, _confirm, manage = make_subscriber(app, poti)
    _other, _c, abasha_manage = make_subscriber(app, abasha)
    response = client.post(f"/poti/unsubscribe/{manage}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _count(app, poti) == 0
    client.post(f"/poti/unsubscribe/{abasha_manage}", data={"List-Unsubscribe": "One-Click"})
    assert _count(app, abasha) == 1  # another municipality's token does nothing here


def test_subscribing_is_rate_limited_per_address(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_SUBSCRIBE_LIMIT", "2 per minute")
    assert _subscribe(client, email="a@example.ge").status_code == 303
    assert _subscribe(client, email="b@example.ge").status_code == 303
    response = _subscribe(client, email="c@example.ge")
    assert response.status_code == 429 and "მოკლე დროში" in response.text
    assert _count(app, poti) == 2


def test_my_page_lists_the_citizens_subscriptions(app, client, poti):
    from tests.staff_fixtures import make_staff, signed_in

    citizen = make_staff(app, None, [], kind="citizen", password=None, enrolled=False,
                         email="mine@example.ge")
    _id, _confirm, manage = make_subscriber(app, poti, address="mine@example.ge")
    signed_in(client, citizen)
    page = client.get("/poti/accounts/me")
    assert page.status_code == 200 and f"/subscriptions/manage/{manage}" in page.text


def test_each_feature_registers_its_own_topics(app, monkeypatch):
    """Subscriptions declares only its own topic; news' come from news (issue 13: "topics
    belong to features through one registry ... nothing in subscriptions changes")."""
    from portal.blueprints.news import topics as news_topics
    from portal.blueprints.subscriptions import topics

    monkeypatch.setattr(topics, "TOPICS", {})
    topics.register_platform_topics()
    assert list(topics.TOPICS) == [topics.EMERGENCY]
    news_topics.register()
    assert {"news.city_hall", "news.sakrebulo"} <= set(topics.TOPICS)
    assert topics.TOPICS["news.sakrebulo"].feature == "news"
