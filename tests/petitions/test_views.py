"""The public pages: the list by tab and search, a petition's page with its cache headers and
count, signing (with and without htmx, the honeypot, the rate limit) and the confirmation page
whose GET changes nothing."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.blueprints.petitions import counting, lifecycle, voters
from portal.blueprints.petitions.models import Petition, Signature
from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.petitions.conftest import make_petition


def _open(app, tenant, **values) -> int:
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = make_petition(opens=now - timedelta(days=2), closes=now + timedelta(days=10),
                                 **values)
        db.session.commit()
        return petition.id


def _fields(html: str, n: int = 1, **values) -> dict:
    return {"csrf_token": csrf_token(html), "full_name": "ნინო ბერიძე",
            "personal_number": f"{n:011d}", "email": f"nino{n}@example.ge", "consent": "y",
            **values}


def _signatures(app, tenant) -> list[Signature]:
    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(Signature).order_by(Signature.id)))


def test_list_has_tabs_search_and_only_public_petitions(app, client, poti, abasha):
    _open(app, poti, title="ველობილიკი სანაპიროზე")
    _open(app, poti, title="მოსამზადებელი", status="moderation")
    _open(app, abasha, title="აბაშის წყალი")
    with app.app_context(), tenant_context(poti):
        rejected = make_petition(title="ცუდი თხოვნა", status="moderation")
        lifecycle.reject(rejected, "unclear", note="გაუგებარია")
        db.session.commit()
        rejected_id = rejected.id
    html = client.get("/poti/petitions/").text
    assert "ველობილიკი სანაპიროზე" in html
    assert "მოსამზადებელი" not in html and "აბაშის წყალი" not in html and "ცუდი თხოვნა" not in html
    rejected_tab = client.get("/poti/petitions/?tab=rejected").text
    assert "ცუდი თხოვნა" in rejected_tab and "გაუგებარია" in rejected_tab
    assert "ველობილიკი" in client.get("/poti/petitions/?q=ველო").text
    assert "ველობილიკი" not in client.get("/poti/petitions/?q=სხვა").text
    assert client.get("/poti/petitions/?tab=nonsense&page=x").status_code == 200
    # A rejected petition's page says why, and offers nothing to share.
    rejected_page = client.get(f"/poti/petitions/{rejected_id}").text
    assert "გაუგებარია" in rejected_page and 'id="share-title"' not in rejected_page
    assert 'id="share-title"' in client.get(f"/poti/petitions/{_open(app, poti)}").text
    fragment = client.get("/poti/petitions/?q=ველო", headers=HTMX).text
    assert "<html" not in fragment and 'id="results"' in fragment


def test_petition_page_shows_progress_signers_timeline_and_cache_headers(app, client, poti):
    petition_id = _open(app, poti, title="ღამის განათება")
    with app.app_context(), tenant_context(poti):
        db.session.add(Signature(petition_id=petition_id, full_name="ნინო ბერიძე",
                                 personal_number_hash="a" * 64, email="n@example.ge",
                                 has_consent=True, confirmed_at=utcnow()))
        counting.count_confirmed()
        db.session.commit()
    response = client.get(f"/poti/petitions/{petition_id}")
    html = response.text
    assert response.status_code == 200 and "ღამის განათება" in html
    assert '<progress max="201" value="1"' in html
    assert "ნ. ბ." in html and "ნინო ბერიძე" not in html  # initials only
    assert 'property="og:title"' in html and "facebook.com/sharer" in html
    assert response.last_modified is not None
    # no form needing a token (the sign form is a page of its own): no cookie, and a cache in
    # front may keep the page for everyone (deploy/nginx's micro-cache, issue 17)
    assert "Set-Cookie" not in response.headers and "csrf_token" not in html
    assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
    again = client.get(f"/poti/petitions/{petition_id}")
    not_modified = client.get(f"/poti/petitions/{petition_id}",
                              headers={"If-Modified-Since": again.headers["Last-Modified"]})
    assert not_modified.status_code == 304
    count = client.get(f"/poti/petitions/{petition_id}/count.json")
    assert count.json["count"] == 1 and count.json["threshold"] == 201
    assert "public" in count.headers["Cache-Control"] and count.headers["Last-Modified"]


def test_public_timeline_leaves_out_moderation_and_the_notes_to_the_author(app, client, poti):
    with app.app_context(), tenant_context(poti):
        petition = make_petition(status="moderation", opens=None, closes=None, threshold=None)
        lifecycle.move(petition, "changes_requested", note="ამოიღეთ მეზობლის სახელი",
                       notify=False)
        lifecycle.move(petition, "moderation", notify=False)
        voters.set_voter_count(20013, date(2022, 6, 21))
        lifecycle.publish(petition, notify=False)
        db.session.commit()
        petition_id = petition.id
    html = client.get(f"/poti/petitions/{petition_id}").text
    assert "ამოიღეთ მეზობლის სახელი" not in html
    assert "ხელმოწერების შეგროვება" in html and "მოდერაციის მოლოდინში" not in html
    timeline = client.get(f"/poti/petitions/api/petitions/{petition_id}").json["timeline"]
    assert [entry["step"] for entry in timeline] == ["collecting"]


def test_the_list_leads_to_writing_a_petition(client, poti):
    html = client.get("/poti/petitions/").text
    assert 'href="/poti/petitions/mine/new"' in html


def test_foreign_and_unpublished_petitions_are_404(app, client, poti, abasha):
    poti_id = _open(app, poti)
    draft_id = _open(app, abasha, status="draft")
    assert client.get(f"/abasha/petitions/{poti_id}").status_code == 404
    assert client.get(f"/abasha/petitions/{poti_id}/count.json").status_code == 404
    assert client.get(f"/abasha/petitions/{draft_id}").status_code == 404
    page = client.get(f"/poti/petitions/{poti_id}/sign").text
    assert client.post(f"/abasha/petitions/{poti_id}/sign", data=_fields(page)).status_code == 404


def test_signing_without_javascript_then_confirming_by_post_only(app, client, poti):
    petition_id = _open(app, poti)
    page = client.get(f"/poti/petitions/{petition_id}/sign").text
    response = client.post(f"/poti/petitions/{petition_id}/sign",
                           data=_fields(page, wants_outcome="y", unit="ნაბადა"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/poti/petitions/{petition_id}/signed")
    assert client.get(response.headers["Location"]).status_code == 200
    [signature] = _signatures(app, poti)
    assert signature.confirmed_at is None and signature.wants_outcome and signature.unit == "ნაბადა"
    with app.app_context(), tenant_context(poti):
        mail = db.session.scalars(select(OutboxMessage)).all()[-1]
        text = reveal(mail.body_text, mail.secret_sealed)
    link = re.search(r"https?://\S+/confirm/\S+", text).group(0)
    # from the municipality's configured domain, never the request's Host
    assert re.match(r"https?://poti\.gov\.ge/petitions/confirm/", link)
    path = "/poti/" + link.split("/", 3)[3]
    for _ in range(3):  # a mail scanner fetching the link changes nothing
        shown = client.get(path)
        assert shown.status_code == 200 and "no-store" in shown.headers["Cache-Control"]
    assert _signatures(app, poti)[0].confirmed_at is None
    confirmed = client.post(path, data={"csrf_token": csrf_token(shown.text)})
    assert confirmed.status_code == 200 and _signatures(app, poti)[0].confirmed_at is not None
    again = client.post(path, data={"csrf_token": csrf_token(shown.text)})
    assert again.status_code == 200 and re.search("already|უკვე", again.text)
    with app.app_context(), tenant_context(poti):
        assert counting.count_confirmed() == 1
        db.session.commit()
        assert db.session.get(Petition, petition_id).signature_count == 1


def test_bad_or_foreign_confirmation_links_say_so(app, client, poti, abasha):
    _open(app, poti)
    page = client.get("/poti/petitions/confirm/not-a-token")
    assert page.status_code == 404 and 'role="alert"' in page.text
    assert "/confirm/not-a-token" not in page.text.split('id="main"', 1)[-1]  # no button
    refused = client.post("/poti/petitions/confirm/not-a-token",
                          data={"csrf_token": csrf_token(client.get("/poti/accounts/sign-in").text)})
    assert refused.status_code == 404 and "role=\"alert\"" in refused.text


def test_signing_with_htmx_shows_errors_in_place_and_redirects_when_done(app, client, poti):
    petition_id = _open(app, poti)
    page = client.get(f"/poti/petitions/{petition_id}/sign").text
    bad = client.post(f"/poti/petitions/{petition_id}/sign", headers=HTMX,
                      data=_fields(page, personal_number="123", consent=""))
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="sign"' in bad.text
    assert "11" in bad.text and "aria-invalid" in bad.text
    good = client.post(f"/poti/petitions/{petition_id}/sign", headers=HTMX, data=_fields(page))
    assert good.status_code == 204 and good.headers["HX-Redirect"].endswith("/signed")
    twice = client.post(f"/poti/petitions/{petition_id}/sign", headers=HTMX, data=_fields(page))
    assert twice.status_code == 422 and len(_signatures(app, poti)) == 1


def test_errors_are_in_the_visitor_s_language(app, client, poti):
    petition_id = _open(app, poti)
    page = client.get(f"/poti/petitions/{petition_id}/sign").text
    bad = client.post(f"/poti/petitions/{petition_id}/sign", data=_fields(page, email="x"))
    assert bad.status_code == 422 and "Enter an e-mail address." not in bad.text


def test_the_honeypot_keeps_nothing(app, client, poti):
    petition_id = _open(app, poti)
    page = client.get(f"/poti/petitions/{petition_id}/sign").text
    response = client.post(f"/poti/petitions/{petition_id}/sign",
                           data=_fields(page, website="http://spam.example"))
    assert response.status_code == 303 and _signatures(app, poti) == []


def test_signing_is_rate_limited_per_address_and_petition(app, poti):
    petition_id = _open(app, poti)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{random.randint(1, 250)}"
    saved = app.config["PORTAL_PETITION_SIGN_LIMIT"]
    app.config["PORTAL_PETITION_SIGN_LIMIT"] = "1 per 60 seconds;5 per 300 seconds"
    try:
        page = client.get(f"/poti/petitions/{petition_id}/sign").text
        first = client.post(f"/poti/petitions/{petition_id}/sign", data=_fields(page, 1))
        second = client.post(f"/poti/petitions/{petition_id}/sign", data=_fields(page, 2))
        in_place = client.post(f"/poti/petitions/{petition_id}/sign", data=_fields(page, 3),
                               headers=HTMX)
    finally:
        app.config["PORTAL_PETITION_SIGN_LIMIT"] = saved
    assert first.status_code == 303 and second.status_code == 429
    assert 'role="alert"' in second.text and second.headers["Retry-After"]
    # under htmx the same message replaces the form (htmx swaps a 422, not a 429)
    assert in_place.status_code == 422 and 'id="sign"' in in_place.text and "<html" not in in_place.text
    assert len(_signatures(app, poti)) == 1


def test_home_part_and_sitemap(app, client, poti, abasha):
    assert "ველობილიკი" not in client.get("/abasha/").text
    petition_id = _open(app, poti, title="ველობილიკი")
    home = client.get("/poti/").text
    assert "ველობილიკი" in home and f"/poti/petitions/{petition_id}" in home
    sitemap = client.get("/poti/sitemap.xml").text
    assert f"/poti/petitions/{petition_id}" in sitemap


def test_demo_petitions_load_twice_without_doubling(app, ctx):
    from portal.blueprints.petitions.demo import load_demo_petitions
    from portal.tenancy import all_tenants

    load_demo_petitions()
    with all_tenants():
        first = db.session.scalar(select(func.count(Petition.id)))
    load_demo_petitions()
    with all_tenants():
        assert db.session.scalar(select(func.count(Petition.id))) == first >= 8
        assert db.session.scalar(select(func.count(Petition.id)).where(Petition.status == "decided")) >= 2


def test_switched_off_petitions_answer_404_and_leave_the_home_page(app, client, poti):
    from portal.tenancy import get_directory
    from portal.tenancy.settings import profile_settings

    petition_id = _open(app, poti, title="ველობილიკი")
    with app.app_context():
        profile_settings.set_many({"features.off": ["petitions"]}, tenant_id=poti.id)
        db.session.commit()
    get_directory(app).invalidate()
    assert client.get("/poti/petitions/").status_code == 404
    assert client.get(f"/poti/petitions/{petition_id}").status_code == 404
    assert "ველობილიკი" not in client.get("/poti/").text
