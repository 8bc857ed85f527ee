"""Co-sponsors by the author's private link: make and renew the link, join with a POST, the
author removes people; the limits and refusals; names on the public page and "My page"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.blueprints.petitions import cosponsors
from portal.blueprints.petitions.anonymise import KEEP_FOR, anonymise_closed
from portal.blueprints.petitions.models import Cosponsor, Petition
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.petitions.admin_factories import make_petition
from tests.petitions.authors import citizen

BASE = "/poti/petitions/mine"


@pytest.fixture
def author(app):
    return citizen(app, "author@example.ge")


@pytest.fixture
def friend(app):
    return citizen(app, "friend@example.ge", name="გიორგი ხუბუა")


def _draft(app, poti, author_id, **values) -> int:
    return make_petition(app, poti, status="draft", author_id=author_id, title="ქუჩის განათება",
                         **values)


def _link(client, pid) -> str:
    """The author presses "Make a private link"; returns the link's path."""
    token = csrf_token(client.get(f"{BASE}/{pid}").text)
    response = client.post(f"{BASE}/{pid}/cosponsors/link", data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/{pid}#cosponsors")
    page = client.get(f"{BASE}/{pid}").text
    link = page.split('id="join-link" type="text" readonly value="', 1)[1].split('"', 1)[0]
    # An absolute link on the municipality's configured domain; the test client uses the prefix.
    assert link.startswith(("https://", "http://")) and f"/petitions/mine/{pid}/join/" in link
    return f"{BASE}/{pid}/join/{link.rsplit('/', 1)[1]}"


def _join(client, path, name="გიორგი ხუბუა"):
    page = client.get(path)
    return client.post(path, data={"full_name": name, "csrf_token": csrf_token(page.text)})


def _rows(app, tenant, pid):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(Cosponsor).where(Cosponsor.petition_id == pid)
                                  .order_by(Cosponsor.id)).all()


def test_a_friend_joins_by_the_private_link(app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    edit = client.get(f"{BASE}/{pid}").text
    assert "Co-sponsors" in edit and "Make a private link" in edit
    path = _link(client, pid)
    assert path.startswith(f"{BASE}/{pid}/join/")
    friend_user, friend_client = friend
    page = friend_client.get(path)
    assert page.status_code == 200
    assert "ქუჩის განათება" in page.text and "ტექსტი" in page.text
    assert 'value="გიორგი ხუბუა"' in page.text  # the account's name, changeable
    response = _join(friend_client, path, "გიორგი ხუბუა-ჯიქია")
    assert response.status_code == 303
    [row] = _rows(app, poti, pid)
    assert (row.user_id, row.full_name) == (friend_user.id, "გიორგი ხუბუა-ჯიქია")
    assert "You co-sponsor this petition" in friend_client.get(path).text
    assert "გიორგი ხუბუა-ჯიქია" in client.get(f"{BASE}/{pid}").text
    mine = friend_client.get("/poti/accounts/me").text
    assert "Petitions I co-sponsor" in mine and "ქუჩის განათება" in mine


def test_refusals_have_messages_and_change_nothing(app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    path = _link(client, pid)
    own = client.get(path).text
    assert "authors cannot co-sponsor their own" in own and 'id="join-form"' not in own
    refused = client.post(path, data={"full_name": "ნინო", "csrf_token": csrf_token(own)})
    assert refused.status_code == 422 and "authors cannot co-sponsor" in refused.text
    _friend_user, friend_client = friend
    assert _join(friend_client, path, " ").status_code == 422
    assert _join(friend_client, path).status_code == 303
    again = _join(friend_client, path)
    assert again.status_code == 422 and "already co-sponsor" in again.text
    assert len(_rows(app, poti, pid)) == 1
    assert friend_client.post(path, data={"full_name": "x"}).status_code == 400  # no CSRF token


def test_at_most_twenty(app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    path = _link(client, pid)
    with app.app_context(), tenant_context(poti):
        for n in range(cosponsors.MAX_COSPONSORS):
            db.session.add(Cosponsor(petition_id=pid, full_name=f"თანაავტორი {n}"))
        db.session.commit()
    refused = _join(friend[1], path)
    assert refused.status_code == 422 and "already has 20 co-sponsors" in refused.text
    assert len(_rows(app, poti, pid)) == 20


def test_only_before_publication(app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    path = _link(client, pid)
    with app.app_context(), tenant_context(poti):
        db.session.execute(update(Petition).where(Petition.id == pid).values(status="collecting"))
        db.session.commit()
    page = friend[1].get(path).text
    assert "no longer takes co-sponsors" in page and 'id="join-form"' not in page
    assert _join(friend[1], path).status_code == 422
    assert _rows(app, poti, pid) == []
    assert "Make a private link" not in client.get(f"{BASE}/{pid}").text


def test_a_new_link_revokes_the_old_one(app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    old = _link(client, pid)
    new = _link(client, pid)
    assert old != new
    assert friend[1].get(old).status_code == 404
    assert friend[1].get(new).status_code == 200


def test_made_up_or_borrowed_tokens_and_other_municipalities_are_404(app, poti, abasha, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    other = _draft(app, poti, user.id)
    path = _link(client, pid)
    token = path.rsplit("/", 1)[1]
    _link(client, other)
    friend_client = friend[1]
    assert friend_client.get(f"{BASE}/{pid}/join/{token[:-2]}xx").status_code == 404
    assert friend_client.get(f"{BASE}/{other}/join/{token}").status_code == 404
    assert friend_client.get(f"/abasha/petitions/mine/{pid}/join/{token}").status_code == 404
    assert friend_client.get(f"{BASE}/999999/join/{token}").status_code == 404


def test_signed_out_visitors_sign_in_first(app, client, poti, author):
    user, author_client = author
    pid = _draft(app, poti, user.id)
    path = _link(author_client, pid)
    response = client.get(path)
    assert response.status_code == 303 and "/poti/accounts/link" in response.location


def test_the_author_removes_a_cosponsor_others_cannot(app, poti, abasha, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    path = _link(client, pid)
    _join(friend[1], path)
    [row] = _rows(app, poti, pid)
    token = csrf_token(client.get(f"{BASE}/{pid}").text)
    friend_token = csrf_token(friend[1].get(path).text)
    url = f"{BASE}/{pid}/cosponsors/{row.id}/remove"
    assert friend[1].post(url, data={"csrf_token": friend_token}).status_code == 404
    assert client.get(url).status_code == 303  # a reload goes back to the page
    theirs = make_petition(app, abasha, status="draft", author_id=user.id)
    assert client.post(f"/abasha/petitions/mine/{theirs}/cosponsors/{row.id}/remove",
                       data={"csrf_token": token}).status_code == 404
    assert len(_rows(app, poti, pid)) == 1
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 303
    assert _rows(app, poti, pid) == []
    assert "The co-sponsor is removed" in client.get(response.location).text


def test_a_cosponsor_of_another_petition_cannot_be_removed_through_this_one(app, poti, author, friend):
    user, client = author
    pid, other = _draft(app, poti, user.id), _draft(app, poti, user.id)
    _join(friend[1], _link(client, other))
    [row] = _rows(app, poti, other)
    token = csrf_token(client.get(f"{BASE}/{pid}").text)
    response = client.post(f"{BASE}/{pid}/cosponsors/{row.id}/remove", data={"csrf_token": token})
    assert response.status_code == 303
    assert "not a co-sponsor of this petition" in client.get(response.location).text
    assert len(_rows(app, poti, other)) == 1


def test_the_public_page_names_them_once_published_and_anonymisation_blanks_them(
        app, poti, author, friend):
    user, client = author
    pid = _draft(app, poti, user.id)
    _join(friend[1], _link(client, pid))
    with app.app_context(), tenant_context(poti):
        now = datetime.now(UTC)
        db.session.execute(update(Petition).where(Petition.id == pid).values(
            status="collecting", threshold=201, collection_opens_at=now - timedelta(days=1),
            collection_closes_at=now + timedelta(days=20)))
        db.session.commit()
    page = app.test_client().get(f"/poti/petitions/{pid}").text
    assert "Co-sponsors" in page or "თანაავტორები" in page
    assert "გიორგი ხუბუა" in page
    with app.app_context(), tenant_context(poti):
        closed = datetime(2025, 1, 1, tzinfo=UTC)
        db.session.execute(update(Petition).where(Petition.id == pid).values(
            status="closed_unsuccessful", closed_at=closed))
        anonymise_closed(closed + KEEP_FOR + timedelta(days=1))
        db.session.commit()
    [row] = _rows(app, poti, pid)
    assert (row.full_name, row.user_id) == ("", None)
    assert "გიორგი ხუბუა" not in app.test_client().get(f"/poti/petitions/{pid}").text
