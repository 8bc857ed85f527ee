"""The public side: the list and a consultation's page in both municipalities; commenting
(without and with htmx), confirming by the e-mail's link, nothing public before a moderator
publishes; refusals (bad input, a closed or upcoming period, a foreign section, a bad link)
in English and Georgian; the rate limit; the document download; another municipality's
consultation is 404."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.blueprints.consultations.models import ConsultationComment
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.consultations.factories import PDF, make_comment, make_consultation
from tests.helpers import csrf_token


def _comments(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalars(select(ConsultationComment).order_by(ConsultationComment.id)).all()


def _mails(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return [(m.recipient, m.subject, m.locale, reveal(m.body_text, m.secret_sealed))
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _send(client, url, **values):
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.text), "name": "ნინო ბერიძე", "email": "nino@example.ge",
            "section": "", "body": "განათებას მეტი თანხა სჭირდება.", **values}
    return client.post(url, data=data)


def test_the_list_and_the_page_in_both_municipalities(app, client, poti, abasha):
    poti_id = make_consultation(app, poti, document=True)
    abasha_id = make_consultation(app, abasha, title="აბაშის ბიუჯეტი")
    closed_id = make_consultation(app, poti, title="სტრატეგია", opens_in_days=-30, closes_in_days=-2)
    make_consultation(app, poti, title="დრაფტი", published=False)
    listing = client.get("/poti/consultations/")
    assert listing.status_code == 200
    assert "2027 წლის ბიუჯეტის პროექტი" in listing.text and "სტრატეგია" in listing.text
    assert "დრაფტი" not in listing.text and "აბაშის ბიუჯეტი" not in listing.text
    page = client.get(f"/poti/consultations/{poti_id}")
    assert page.status_code == 200 and 'id="comment-form"' in page.text
    assert "შემოსავლები" in page.text and "პროექტი.pdf" in page.text
    closed = client.get(f"/poti/consultations/{closed_id}")
    assert 'id="comment-form"' not in closed.text
    # another municipality's consultation under this one's prefix is not found
    assert client.get(f"/poti/consultations/{abasha_id}").status_code == 404
    assert client.get(f"/abasha/consultations/{poti_id}").status_code == 404
    client.set_cookie("lang", "en")
    assert "Draft 2027 budget" in client.get(f"/abasha/consultations/{abasha_id}").text


def test_the_list_and_the_page_are_served_from_the_page_cache(app, poti, cached):
    from tests.helpers import get_in_own_context

    def pages():
        return sorted(key[-1] for key in cached._pages if key[0] != "layout")

    consultation_id = make_consultation(app, poti)
    for url in ("/poti/consultations/", f"/poti/consultations/{consultation_id}"):
        first, second = (get_in_own_context(app, url) for _ in range(2))
        assert first.status_code == second.status_code == 200
        if url.endswith("/"):  # the list holds no form: no token, no cookie
            assert "csrf_token" not in first.text and "Set-Cookie" not in first.headers
        else:  # the comment form: each visitor's own token
            assert csrf_token(first.text) != csrf_token(second.text)
    assert pages() == ["/poti/consultations/", f"/poti/consultations/{consultation_id}"]
    # the comment form works from a cached page; a missing consultation is never stored
    assert _send(app.test_client(), f"/poti/consultations/{consultation_id}").status_code == 303
    assert get_in_own_context(app, "/poti/consultations/999999").status_code == 404
    assert pages() == ["/poti/consultations/", f"/poti/consultations/{consultation_id}"]


def test_a_comment_is_hidden_until_confirmed_and_published(app, client, poti):
    consultation_id = make_consultation(app, poti)
    url = f"/poti/consultations/{consultation_id}"
    response = _send(client, url, body="ნაბადაში ქუჩები ბნელია.")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{url}/sent")
    [comment] = _comments(app, poti)
    assert comment.status == "unconfirmed" and comment.locale == "ka"
    [(to, subject, locale, text)] = _mails(app, poti)
    assert to == "nino@example.ge" and locale == "ka" and subject == "დაადასტურეთ თქვენი კომენტარი"
    link = re.search(r"https?://\S+/consultations/confirm/(\S+)", text).group(1)
    assert "ნაბადაში ქუჩები ბნელია." not in client.get(url).text
    confirm_page = client.get(f"/poti/consultations/confirm/{link}")
    assert confirm_page.status_code == 200 and 'id="confirm-form"' in confirm_page.text
    assert _comments(app, poti)[0].status == "unconfirmed"  # opening the link changes nothing
    done = client.post(f"/poti/consultations/confirm/{link}", data={"csrf_token": csrf_token(confirm_page.text)})
    assert done.status_code == 200
    assert _comments(app, poti)[0].status == "pending"
    assert "ნაბადაში ქუჩები ბნელია." not in client.get(url).text  # still waiting for a moderator
    # the link works for this municipality only
    assert client.get(f"/abasha/consultations/confirm/{link}").status_code == 404
    assert client.get("/poti/consultations/confirm/forged.token").status_code == 404


def test_with_htmx_the_form_comes_back_in_place_and_success_redirects(app, client, poti):
    consultation_id = make_consultation(app, poti)
    url = f"/poti/consultations/{consultation_id}"
    headers = {"HX-Request": "true"}
    page = client.get(url)
    bad = client.post(url, data={"csrf_token": csrf_token(page.text), "email": "x", "body": ""}, headers=headers)
    assert bad.status_code == 422 and bad.text.lstrip().startswith("<form")
    assert "HX-Request" in bad.headers["Vary"]
    good = client.post(url, data={"csrf_token": csrf_token(page.text), "email": "a@example.ge", "anonymous": "y",
                                  "body": "კარგი პროექტია."}, headers=headers)
    assert good.status_code == 204 and good.headers["HX-Redirect"].endswith(f"{url}/sent")
    [comment] = _comments(app, poti)
    assert not comment.show_name


def test_bad_input_is_refused_in_english_and_georgian(app, client, abasha):
    consultation_id = make_consultation(app, abasha)
    url = f"/abasha/consultations/{consultation_id}"
    client.set_cookie("lang", "en")
    cases = [({"email": "not an address"}, "Enter an e-mail address."),
             ({"body": ""}, "This field is required."),
             ({"name": ""}, "Write your name, or choose to comment anonymously."),
             ({"section": "99999"}, "Not a valid choice."),
             ({"body": "x" * 5001}, "Field cannot be longer than 5000 characters.")]
    for values, message in cases:
        response = _send(client, url, **values)
        assert response.status_code == 422, values
        assert message in response.text, (values, message)
    client.set_cookie("lang", "ka")
    response = _send(client, url, name="")
    assert response.status_code == 422
    assert "დაწერეთ თქვენი სახელი ან აირჩიეთ ანონიმურად კომენტირება." in response.text
    assert _comments(app, abasha) == []


def test_a_section_of_another_consultation_is_refused(app, client, poti):
    first = make_consultation(app, poti)
    second = make_consultation(app, poti, title="მეორე")
    with app.app_context(), tenant_context(poti):
        from portal.blueprints.consultations.models import Consultation
        from portal.blueprints.consultations.services import sections_of

        foreign = sections_of(db.session.get(Consultation, second))[0].id
        own = sections_of(db.session.get(Consultation, first))[1].id
    assert _send(client, f"/poti/consultations/{first}", section=str(foreign)).status_code == 422
    assert _send(client, f"/poti/consultations/{first}", section=str(own)).status_code == 303
    assert [c.section_id for c in _comments(app, poti)] == [own]


def test_a_closed_or_upcoming_period_refuses_comments(app, client, poti):
    closed = make_consultation(app, poti, opens_in_days=-30, closes_in_days=-1)
    upcoming = make_consultation(app, poti, title="მომავალი", opens_in_days=3, closes_in_days=30)
    client.set_cookie("lang", "en")
    page = client.get(f"/poti/consultations/{closed}")
    assert "comments are no longer taken" in page.text
    token = csrf_token(client.get(f"/poti/consultations/{upcoming}").text)
    data = {"csrf_token": token, "name": "A", "email": "a@example.ge", "body": "late"}
    late = client.post(f"/poti/consultations/{closed}", data=data)
    assert late.status_code == 422 and "The comment period ended on" in late.text
    early = client.post(f"/poti/consultations/{upcoming}", data=data)
    assert early.status_code == 422 and "Comments on this consultation are not open yet." in early.text
    assert _comments(app, poti) == []


def test_too_many_comments_from_one_address_are_answered_on_the_form(app, client, poti, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_CONSULTATIONS_COMMENT_LIMIT", "2 per 600 seconds")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    client.set_cookie("lang", "en")
    url = f"/poti/consultations/{make_consultation(app, poti)}"
    assert _send(client, url).status_code == 303
    assert _send(client, url).status_code == 303
    third = _send(client, url)
    assert third.status_code == 429 and "Several comments came from your address" in third.text
    assert "Retry-After" in third.headers
    assert len(_comments(app, poti)) == 2


def test_the_honeypot_keeps_nothing(app, client, poti):
    url = f"/poti/consultations/{make_consultation(app, poti)}"
    assert _send(client, url, website="http://spam.example").status_code == 303
    assert _comments(app, poti) == [] and _mails(app, poti) == []


def test_published_comments_show_with_answers_and_anonymously(app, client, poti):
    consultation_id = make_consultation(app, poti)
    make_comment(app, poti, consultation_id, status="published", answer="გავითვალისწინებთ.")
    make_comment(app, poti, consultation_id, status="rejected", body="სპამი")
    page = client.get(f"/poti/consultations/{consultation_id}").text
    assert "მეტი თანხა განათებისთვის." in page and "გავითვალისწინებთ." in page and "ნინო" in page
    assert "სპამი" not in page and "nino@example.ge" not in page


def test_a_document_downloads_as_an_attachment(app, client, poti, abasha):
    consultation_id = make_consultation(app, poti, document=True)
    page = client.get(f"/poti/consultations/{consultation_id}").text
    href = re.search(r'href="(/poti/consultations/\d+/documents/\d+)"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200 and response.data == PDF
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()
    assert client.get(href.replace("/poti/", "/abasha/")).status_code == 404
