"""Georgian by default, English by a remembered switch; catalogues complete; Babel formatting."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "portal" / "translations"


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_catalogue_is_complete(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    empty = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    missing = [m.id for m in template if m.id and m.id not in catalog]
    assert not empty, f"untranslated in {lang}: {empty}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy}"
    assert not missing, f"run `make i18n`: {missing}"


def test_georgian_is_the_default(client):
    page = client.get("/poti/").text
    assert '<html lang="ka">' in page
    assert "მთავარ შინაარსზე გადასვლა" in page  # skip link
    assert "ფართობი" in page


def test_switch_to_english_is_remembered(client):
    page = client.get("/poti/").text
    # The switch is a GET form (no token: a page whose only form it is sets no cookie).
    assert 'method="get" action="/language"' in page and "csrf_token" not in page
    response = client.get("/language", query_string={"lang": "en", "next": "/poti/tour/"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/poti/tour/"
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only
    page = client.get("/poti/").text
    assert '<html lang="en">' in page
    assert "Skip to main content" in page and "Poti Municipality" in page
    assert "Lake Paliastomi" in page
    # And back.
    client.get("/language", query_string={"lang": "ka", "next": "/poti/"})
    assert '<html lang="ka">' in client.get("/poti/").text


def test_numbers_and_dates_are_localised(client):
    ka = client.get("/poti/").text
    assert "41 465" in ka.replace("\xa0", " ")  # Georgian groups digits with a (no-break) space
    assert "65,8 კმ²" in ka
    assert any(month in ka for month in ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი",
               "ივნისი", "ივლისი", "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი"))
    client.set_cookie("lang", "en")
    en = client.get("/poti/").text
    assert "41,465" in en and "65.8 km²" in en and "53% women, 47% men" in en


def test_unknown_language_is_refused_and_changes_nothing(client):
    response = client.get("/language", query_string={"lang": "xx"})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


def test_language_switch_refuses_open_redirects(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.get("/language", query_string={"lang": "en", "next": target})
        assert response.headers["Location"] == "/"


def test_switch_on_own_domain_returns_to_the_public_path(client):
    page = client.get("/tour/", headers={"Host": "poti.gov.ge"}).text
    assert 'name="next" value="/tour/"' in page
