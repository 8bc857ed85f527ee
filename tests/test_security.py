"""The security baseline every later feature inherits."""

import re
from pathlib import Path

import pytest

from portal.services.sanitize import clean_html

PORTAL = Path(__file__).resolve().parent.parent / "portal"


@pytest.mark.parametrize("url", ["/", "/poti/", "/poti/tour/", "/nope/", "/healthz"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_frames_limited_to_players_and_the_tenants_tour(client):
    poti = client.get("/poti/tour/").headers["Content-Security-Policy"]
    frames = re.search(r"frame-src ([^;]+)", poti).group(1).split()
    assert set(frames) == {"https://www.youtube-nocookie.com", "https://www.facebook.com",
                           "https://tours.nala.ge"}
    abasha = client.get("/abasha/").headers["Content-Security-Policy"]
    assert "tours.nala.ge" not in abasha


def test_forms_need_a_csrf_token(client):
    client.get("/poti/")
    response = client.post("/language", data={"lang": "en", "next": "/poti/"})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None
    assert "ფორმის ვადა ამოიწურა" in response.text


def test_htmx_sends_the_token_in_a_header(client):
    # Only for a visitor who has a token: a page without a form makes none (no cookie).
    assert "X-CSRFToken" not in client.get("/poti/").text
    client.get("/poti/accounts/sign-in")
    page = client.get("/poti/").text
    match = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    assert match
    response = client.post(
        "/language", data={"lang": "en", "next": "/poti/"}, headers={"X-CSRFToken": match.group(1)}
    )
    assert response.status_code == 303


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    from portal.config import load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_ENCRYPTION_KEY", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=")
    monkeypatch.setenv("PORTAL_LOOKUP_KEY", "a production lookup key")
    monkeypatch.setenv("PORTAL_BASE_DOMAIN", "portal.example.ge")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    from portal.config import ConfigError, load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config(str(tmp_path))


def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path):
    from portal.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert load_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_sanitiser_keeps_formatting_and_drops_script():
    dirty = ('<p onclick="x()">Hi <b>there</b><script>alert(1)</script>'
             '<a href="javascript:alert(1)">x</a><a href="https://ok.ge">ok</a></p>')
    clean = str(clean_html(dirty))
    assert "<script" not in clean and "onclick" not in clean and "javascript:" not in clean
    assert "<b>there</b>" in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_no_template_marks_unsanitised_text_safe():
    """`|safe` and `Markup(...)` of anything but a string literal (a constant template, whose
    `%` arguments Markup escapes) are allowed nowhere but the sanitiser itself."""
    offenders = []
    for path in (PORTAL / "templates").rglob("*.html"):
        if re.search(r"\|\s*safe\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    for path in PORTAL.rglob("*.py"):
        if path.name == "sanitize.py":
            continue
        if re.search(r"\bMarkup\s*\((?!\s*[\"'])", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    for path in (PORTAL / "templates").rglob("*.html"):
        if re.search(r"{%\s*autoescape\s+false", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders, f"unsanitised HTML marked safe in: {offenders}"


def test_no_inline_script_or_style_in_templates():
    for path in (PORTAL / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "emails":
            # Mail clients need inline styles and never see our CSP; scripts stay banned.
            assert "<script" not in text and not re.search(r"\son[a-z]+=\"", text), path
            continue
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+=\"", text), path
        if path.relative_to(PORTAL / "templates").parts[0] == "emails":
            continue  # e-mail bodies: mail clients ignore stylesheets, and no CSP applies there
        assert not re.search(r"\sstyle=\"", text), path
        assert "<style" not in text, path


def test_no_cdn_assets():
    for path in (PORTAL / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"https?://[^\"]*(cdn|unpkg|jsdelivr)", text), path


def test_htmx_is_vendored_at_version_2_and_configured(client):
    htmx_js = (PORTAL / "static" / "vendor" / "htmx" / "htmx.min.js").read_text()
    assert 'version:"2.0.' in htmx_js.replace(" ", "")
    page = client.get("/poti/").text
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page).group(1)
    import json

    parsed = json.loads(config)
    assert parsed["selfRequestsOnly"] is True
    assert parsed["allowEval"] is False
    assert parsed["allowScriptTags"] is False
