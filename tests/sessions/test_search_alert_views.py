"""Saving a search from the archive's results: "Tell me when this comes up" opens the
subscriptions' own form with the search chosen (e-mail with double opt-in, or SMS); bad words
are refused in Georgian and English and change nothing; a confirmed address gets its manage
link with the search chosen; the manage page, My page and the staff counts show it."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import func, select

from portal.blueprints.sessions.models import SavedSearch
from portal.blueprints.subscriptions.models import Subscriber, Subscription
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.subscriptions.conftest import link_in, outbox
from tests.subscriptions.factories import make_subscriber

SEARCH = "/poti/sessions/search"


def _save(client, q):
    token = csrf_token(client.get(SEARCH, query_string={"q": "ბიუჯეტი"}).text)
    return client.post(f"{SEARCH}/alert", data={"csrf_token": token, "q": q})


def _saved(tenant):
    with tenant_context(tenant):
        return list(db.session.scalars(select(SavedSearch)))


def test_the_results_offer_to_save_the_search(client, archives):
    page = client.get(SEARCH, query_string={"q": "ბიუჯეტი"})
    assert page.status_code == 200 and f'action="{SEARCH}/alert"' in page.text
    assert 'name="q" value="ბიუჯეტი"' in page.text
    assert "შემატყობინეთ" in page.text
    assert f'action="{SEARCH}/alert"' not in client.get(SEARCH).text  # no words, no offer


def test_the_offer_in_english(client, archives):
    client.set_cookie("lang", "en")  # before the first request: the test holds one app context
    assert "Tell me when this comes up" in client.get(SEARCH, query_string={"q": "x"}).text


def test_saving_opens_the_subscribe_form_and_double_opt_in_follows(app, client, poti, archives):
    response = _save(client, "  პორტი ")
    assert response.status_code == 303
    [saved] = _saved(poti)
    value = f"sessions.search:{saved.id}"
    assert unquote(response.location).endswith(f"/poti/subscriptions/?topic={value}")
    form = client.get(response.location)
    assert "“პორტი”" in form.text
    assert re.search(rf'<input[^>]*checked[^>]*value="{value}"|<input[^>]*value="{value}"[^>]*checked',
                     form.text)
    assert f'href="/poti/subscriptions/sms?topic={value}"' in form.text
    assert _save(client, "პორტი").location == response.location  # the same search once
    posted = client.post("/poti/subscriptions/", data={
        "csrf_token": csrf_token(form.text), "email": "nino@example.ge", "topics": [value],
        "frequency": "immediate"})
    assert posted.status_code == 303
    [mail] = outbox(app, poti)
    confirm = link_in(mail, "/subscriptions/confirm/")
    page = client.get(confirm)
    client.post(confirm, data={"csrf_token": csrf_token(page.text)})
    with tenant_context(poti):
        subscriber = db.session.scalar(select(Subscriber))
        assert subscriber.confirmed_at is not None
        assert [(s.topic, s.object_id) for s in db.session.scalars(select(Subscription))] == [
            ("sessions.search", saved.id)]


def test_the_sms_form_offers_the_saved_search(client, poti, archives):
    location = _save(client, "პორტი").location
    [saved] = _saved(poti)
    page = client.get(f"/poti/subscriptions/sms?topic=sessions.search:{saved.id}")
    assert page.status_code == 200 and "“პორტი”" in page.text
    assert location


def test_bad_words_are_refused_and_nothing_is_kept(client, poti, archives):
    response = _save(client, "ა" * 101)
    assert response.status_code == 422 and "100" in response.text
    assert 'role="alert"' in response.text and "სიმბოლო" in response.text
    response = _save(client, " — ")
    assert response.status_code == 422 and "ჯერ საძიებო სიტყვები ჩაწერეთ." in response.text
    assert _saved(poti) == []


def test_bad_words_are_refused_in_english(client, poti, archives):
    client.set_cookie("lang", "en")
    response = _save(client, " — ")
    assert response.status_code == 422 and "Type the words to look for first." in response.text
    response = _save(client, "a" * 101)
    assert "A saved search may have at most 100 characters." in response.text
    assert _saved(poti) == []


def test_a_confirmed_address_gets_its_manage_link_with_the_search_chosen(
        app, client, poti, archives):
    _id, _c, manage = make_subscriber(app, poti, address="nino@example.ge")
    location = _save(client, "პორტი").location
    [saved] = _saved(poti)
    form = client.get(location)
    client.post("/poti/subscriptions/", data={
        "csrf_token": csrf_token(form.text), "email": "nino@example.ge",
        "topics": [f"sessions.search:{saved.id}"], "frequency": "immediate"})
    [mail] = outbox(app, poti)
    link = link_in(mail, "/subscriptions/manage/")
    assert link.endswith(f"?topic=sessions.search%3A{saved.id}")
    page = client.get(link)
    assert "“პორტი”" in page.text
    client.post(f"/poti/subscriptions/manage/{manage}", data={
        "csrf_token": csrf_token(page.text), "frequency": "immediate",
        "topics": ["emergency", f"sessions.search:{saved.id}"]})
    with tenant_context(poti):
        assert db.session.scalar(select(func.count(Subscription.id)).where(
            Subscription.topic == "sessions.search")) == 1


def test_without_subscriptions_there_is_nothing_to_save(app, client, poti, archives):
    from portal.tenancy import get_directory
    from portal.tenancy.settings import profile_settings

    profile_settings.set_many({"features.off": ["subscriptions"]}, tenant_id=poti.id)
    db.session.commit()
    get_directory(app).invalidate()
    page = client.get(SEARCH, query_string={"q": "ბიუჯეტი"})
    assert page.status_code == 200 and f'action="{SEARCH}/alert"' not in page.text
    token = csrf_token(client.get("/poti/accounts/sign-in").text)  # the page has no form
    response = client.post(f"{SEARCH}/alert", data={"csrf_token": token, "q": "პორტი"})
    assert response.status_code == 404 and _saved(poti) == []


def test_saving_is_rate_limited_per_network_address(app, client, poti, archives, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_SUBSCRIBE_LIMIT", "2 per minute")
    assert _save(client, "პორტი").status_code == 303
    assert _save(client, "ბიუჯეტი").status_code == 303
    response = _save(client, "გზა")
    assert response.status_code == 429 and "მოკლე დროში" in response.text
    assert len(_saved(poti)) == 2
