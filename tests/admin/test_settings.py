"""Settings override tenant.toml: validated, audited, shown on the home page and theme.css."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import signed_in


def _form(page_html: str, **changes) -> dict:
    """The settings form's current values (as rendered), with ``changes`` applied."""
    import re

    data = {"csrf_token": csrf_token(page_html)}
    for name, value in re.findall(r'<input [^>]*name="([a-z_0-9]+)"[^>]*value="([^"]*)"', page_html):
        data.setdefault(name, value)
    for name, value in re.findall(r'<input [^>]*value="([^"]*)"[^>]*name="([a-z_0-9]+)"', page_html):
        data.setdefault(value, name)
    for name, value in re.findall(r'<textarea [^>]*name="([a-z_0-9]+)"[^>]*>\s*([^<]*)</textarea>', page_html):
        data.setdefault(name, value)
    data.pop("logo", None)
    data.update(changes)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_admin_changes_name_and_colour_and_the_public_pages_follow(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    page = client.get("/poti/admin/settings")
    assert page.status_code == 200
    data = {k: _unescape(v) for k, v in _form(page.text).items()}
    data.update(name_ka="ფოთის ახალი სახელი", primary="#123456", mayor_name_ka="გიორგი მერი",
                mayor_inbox="mayor@poti.example.org")
    response = client.post("/poti/admin/settings", data=data)
    assert response.status_code == 303, response.text[-2000:]
    assert "ფოთის ახალი სახელი" in client.get("/poti/").text
    assert "--brand:#123456" in client.get("/poti/theme.css").text
    info = app.extensions["tenant_directory"].by_slug("poti")
    assert info.config.contacts["city_hall"].head_name.ka == "გიორგი მერი"
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "settings.updated")).scalar_one()
        assert entry.after["theme.primary"] == "#123456" and entry.before["theme.primary"] == "#0b4f8a"
        assert entry.actor_id == admin.id and entry.tenant_id == poti.id


def test_unreadable_colour_is_refused_with_a_message(app, client, poti, staff):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    page = client.get("/poti/admin/settings")
    data = {k: _unescape(v) for k, v in _form(page.text, primary="#ffff00").items()}
    response = client.post("/poti/admin/settings", data=data)
    assert response.status_code == 422
    assert "4.5:1" in response.text
    assert "--brand:#0b4f8a" in client.get("/poti/theme.css").text


def test_preview_fragment_shows_the_colours_without_saving(client, poti, staff):
    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    response = client.get("/poti/admin/settings/preview?primary=%23224466&accent=%23884400&name_ka=X",
                          headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="preview"')
    assert "primary=%23224466" in response.text
    css = client.get("/poti/admin/settings/preview.css?primary=%23224466&accent=bad")
    assert "--brand:#224466" in css.text and "--accent:#8a4b08" in css.text
    full = client.get("/poti/admin/settings/preview?primary=%23224466")  # no JavaScript: whole page
    assert "<html" in full.text and 'id="settings-form"' in full.text
    assert "--brand:#0b4f8a" in client.get("/poti/theme.css").text


def test_png_logo_upload_is_served(app, client, poti, staff):
    import io

    admin = staff(poti, ["admin"])
    signed_in(client, admin)
    page = client.get("/poti/admin/settings")
    data = {k: _unescape(v) for k, v in _form(page.text).items()}
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # A real 1×1 PNG (a signature followed by zeros is refused: its chunks are checked).
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
    data["logo"] = (io.BytesIO(png), "logo.png")
    response = client.post("/poti/admin/settings", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    logo = app.extensions["tenant_directory"].by_slug("poti").config.theme.logo
    assert logo.startswith("uploads/logo-")
    served = client.get(f"/poti/assets/{logo}")
    assert served.data == png
    served.close()
    data["logo"] = (io.BytesIO(b"<svg onload=alert(1)>"), "logo.svg")
    data["csrf_token"] = csrf_token(client.get("/poti/admin/settings").text)
    assert client.post("/poti/admin/settings", data=data, content_type="multipart/form-data").status_code == 422


def test_an_own_domain_set_in_settings_serves_the_municipality(app, client, abasha, staff):
    admin = staff(abasha, ["admin"])
    signed_in(client, admin)
    page = client.get("/abasha/admin/settings")
    data = {k: _unescape(v) for k, v in _form(page.text).items()}
    data["domains"] = "abasha.gov.ge"
    assert client.post("/abasha/admin/settings", data=data).status_code == 303
    response = app.test_client().get("/", headers={"Host": "abasha.gov.ge"})
    assert response.status_code == 200 and "აბაშ" in response.text
    taken = dict(data, domains="poti.gov.ge", csrf_token=csrf_token(client.get("/abasha/admin/settings").text))
    response = client.post("/abasha/admin/settings", data=taken)
    assert response.status_code == 422
