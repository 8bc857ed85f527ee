"""The clerk's bodies, members and seats; member photos and reports on the public pages."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from portal.blueprints.sessions.council import composition
from portal.blueprints.sessions.models import Body, Member, Membership
from portal.extensions import db
from portal.services import storage
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import count_queries
from tests.sessions.admin.helpers import english, post

BASE = "/poti/admin/sessions"
def _picture(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "#0b4f8a").save(out, kind)
    return out.getvalue()


PNG = _picture("PNG")  # a real one: photos are checked by content and their metadata dropped


def _member(app, tenant, slug):
    with app.app_context(), tenant_context(tenant):
        return db.session.scalar(select(Member).where(Member.slug == slug))


def _last(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id.desc())).first()


def test_bodies_list_create_and_edit(app, councils, clerk, client, poti):
    english(clerk)
    listing = clerk.get(f"{BASE}/bodies/").text
    assert "Sakrebulo" in listing and 'href="/poti/sessions/bodies/sakrebulo"' in listing
    response = post(clerk, f"{BASE}/bodies/new", {"slug": "culture", "name_ka": "კულტურის კომისია",
                                                  "name_en": "Culture", "kind": "committee", "position": "4"})
    assert response.status_code == 303
    assert "კულტურის კომისია" in client.get("/poti/sessions/bodies/culture").text
    clash = post(clerk, f"{BASE}/bodies/new", {"slug": "finance", "name_ka": "x", "kind": "committee"})
    assert clash.status_code == 422 and "This address is already in use." in clash.text
    assert 'id="slug-error"' in clash.text
    finance = councils["poti"].committee_id
    edited = post(clerk, f"{BASE}/bodies/{finance}", {"slug": "budget", "name_ka": "საბიუჯეტო კომისია",
                                                      "kind": "committee", "position": "2"})
    assert edited.status_code == 303
    entry = _last(app, "body.update")
    assert entry.before == {"slug": "finance", "name_ka": "ფინანსური კომისია", "position": 0}
    assert entry.after == {"slug": "budget", "name_ka": "საბიუჯეტო კომისია", "position": 2}
    assert client.get("/poti/sessions/bodies/budget").status_code == 200
    assert post(clerk, f"{BASE}/bodies/new", {"slug": "Bad Slug!", "name_ka": "x",
                                              "kind": "committee"}).status_code == 422


def test_members_list_runs_a_constant_number_of_queries(app, councils, clerk, poti):
    def count():
        with app.app_context():
            with count_queries(db.engine) as statements:
                assert clerk.get(f"{BASE}/members/").status_code == 200
        return len(statements)

    few = count()
    with app.app_context(), tenant_context(poti):
        body = db.session.get(Body, councils["poti"].body_id)
        for n in range(15):
            member = composition.save_member(None, slug=f"m{n}", name_ka=f"წევრი {n}")
            composition.add_membership(member, body, starts_on=date(2024, 1, 1))
        db.session.commit()
    assert count() == few


def test_create_a_member_with_photo_and_report(app, councils, clerk, client, poti):
    response = post(clerk, f"{BASE}/members/new", {
        "slug": "ana-gelashvili", "name_ka": "ანა გელაშვილი", "name_en": "Ana Gelashvili",
        "party": "ქართული ოცნება", "email": "ana@poti.gov.ge", "term_start": "2021-11-01",
        "activity_report": "<script>alert(1)</script>\nშეხვედრები ამომრჩევლებთან",
        "photo": (io.BytesIO(PNG), "ana.png")})
    assert response.status_code == 303
    member = _member(app, poti, "ana-gelashvili")
    assert response.headers["Location"].endswith(f"{BASE}/members/{member.id}")
    public = client.get("/poti/sessions/members/ana-gelashvili").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in public and "<script>alert" not in public
    assert "/poti/sessions/members/ana-gelashvili/photo" in public
    with client.get("/poti/sessions/members/ana-gelashvili/photo") as photo:
        assert photo.mimetype == "image/png" and photo.data == PNG
    assert _last(app, "member.create").after["photo_path"].endswith(".png")


def test_member_errors_are_422_and_change_nothing(app, councils, clerk, poti):
    c = councils["poti"]
    english(clerk)
    base = {"slug": "nino", "name_ka": "ნინო ფოთი"}
    cases = [({"photo": (io.BytesIO(b"GIF89a...."), "x.gif")}, "PNG or JPEG image"),
             ({"term_start": "2025-01-01", "term_end": "2024-01-01"}, "The term cannot end before it starts."),
             ({"slug": "levan"}, "This address is already in use."),
             ({"email": "not-an-address"}, "Enter an e-mail address.")]
    for extra, message in cases:
        response = post(clerk, f"{BASE}/members/{c.member_id}", {**base, **extra})
        assert response.status_code == 422 and message in response.text, extra
    member = _member(app, poti, "nino")
    assert member.photo_path is None and member.term_start is None


def test_replace_and_remove_the_photo(app, councils, clerk, client, poti):
    c = councils["poti"]
    base = {"slug": "nino", "name_ka": "ნინო ფოთი"}
    post(clerk, f"{BASE}/members/{c.member_id}", {**base, "photo": (io.BytesIO(PNG), "a.png")})
    first = _member(app, poti, "nino").photo_path
    jpeg = _picture("JPEG")
    post(clerk, f"{BASE}/members/{c.member_id}", {**base, "photo": (io.BytesIO(jpeg), "b.jpg")})
    with app.app_context():
        assert not storage.path_of(first).exists()
    with client.get("/poti/sessions/members/nino/photo") as photo:
        assert photo.mimetype == "image/jpeg"
    post(clerk, f"{BASE}/members/{c.member_id}", {**base, "remove_photo": "y"})
    assert _member(app, poti, "nino").photo_path is None
    assert client.get("/poti/sessions/members/nino/photo").status_code == 404


def test_seats_add_end_and_delete(app, councils, clerk, client, poti):
    c = councils["poti"]
    english(clerk)
    added = post(clerk, f"{BASE}/members/{c.member_id}/seats", {
        "seat-body_id": str(c.committee_id), "seat-role": "თავმჯდომარე", "seat-starts_on": "2022-01-10"})
    assert added.status_code == 303 and added.headers["Location"].endswith("#seats")
    overlap = post(clerk, f"{BASE}/members/{c.member_id}/seats", {
        "seat-body_id": str(c.committee_id), "seat-starts_on": "2023-01-01"})
    assert overlap.status_code == 422 and "already has a seat" in overlap.text
    assert "ფინანსური კომისია" in client.get("/poti/sessions/members/nino").text
    with app.app_context(), tenant_context(poti):
        seat = db.session.scalar(select(Membership).where(Membership.body_id == c.committee_id))
    too_early = post(clerk, f"{BASE}/seats/{seat.id}/end", {"ends_on": "2021-01-01"})
    assert too_early.status_code == 422 and f'id="end-{seat.id}-error"' in too_early.text
    assert post(clerk, f"{BASE}/seats/{seat.id}/end", {"ends_on": "2024-12-31"}).status_code == 303
    assert _last(app, "membership.end").after == {"ends_on": "2024-12-31"}
    assert post(clerk, f"{BASE}/seats/{seat.id}/delete").status_code == 303
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Membership, seat.id) is None


def test_poti_clerk_cannot_touch_abashas_members(app, councils, clerk, abasha):
    b = councils["abasha"]
    assert clerk.get(f"{BASE}/members/{b.member_id}").status_code == 404
    assert clerk.get(f"{BASE}/bodies/{b.body_id}").status_code == 404
    changed = post(clerk, f"{BASE}/members/{b.member_id}", {"slug": "x", "name_ka": "x"})
    assert changed.status_code == 404
    assert post(clerk, f"{BASE}/members/{b.member_id}/seats", {
        "seat-body_id": str(b.body_id), "seat-starts_on": "2024-01-01"}).status_code == 404
    with app.app_context(), tenant_context(abasha):
        seat = db.session.scalar(select(Membership.id))
    assert post(clerk, f"{BASE}/seats/{seat}/delete").status_code == 404
    assert _member(app, abasha, "nino").name_ka == "ნინო აბაშა"
    html = clerk.get(f"{BASE}/members/").text
    assert "აბაშა" not in html
