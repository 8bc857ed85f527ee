"""Friendly error pages in the user's language and the municipality's look; never a raw 500."""

import pytest

from portal import create_app


def test_404_inside_a_municipality_keeps_its_look(client):
    response = client.get("/poti/no-such-page")
    assert response.status_code == 404
    assert "გვერდი ვერ მოიძებნა" in response.text
    assert "/poti/theme.css" in response.text  # the municipality's colours
    assert 'href="/poti/"' in response.text


def test_404_in_english(client):
    client.set_cookie("lang", "en")
    response = client.get("/abasha/no-such-page")
    assert "Page not found" in response.text and '<html lang="en">' in response.text


def test_405_is_explained(client):
    response = client.post("/poti/")
    assert response.status_code in (400, 405)  # CSRF check or method check, never a 500
    assert "<html" in response.text


def test_tenant_asset_cannot_escape_its_folder(client):
    assert client.get("/poti/assets/../../tenant.toml").status_code == 404
    with client.get("/poti/assets/emblem.svg") as response:
        assert response.status_code == 200


def test_tenant_asset_is_cached_and_revalidated(client):
    first = client.get("/poti/assets/emblem.svg")
    assert first.mimetype == "image/svg+xml" and first.data.startswith(b"<")
    assert first.cache_control.public and first.cache_control.max_age == 3600
    again = client.get("/poti/assets/emblem.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.fixture
def crashing_app(app):
    crashing = create_app({"TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    crashing.extensions["tenant_directory"] = app.extensions["tenant_directory"]

    @crashing.get("/<tenant_slug>/boom")
    def boom():
        raise RuntimeError("boom")

    return crashing


def test_500_is_a_friendly_localised_page(crashing_app):
    response = crashing_app.test_client().get("/poti/boom")
    assert response.status_code == 500
    assert "რაღაც შეცდომა მოხდა" in response.text
    assert "RuntimeError" not in response.text and "Traceback" not in response.text
