"""One URL, two renderings: full page for browsers and boosted links, a block for htmx."""

import pytest
from flask import Response

from portal.web.htmx import hx_headers
from tests.helpers import HTMX, HTMX_BOOSTED


def test_full_page_without_htmx(client):
    response = client.get("/poti/")
    assert response.text.startswith("<!doctype html>")
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_gets_the_full_page(client):
    response = client.get("/poti/", headers=HTMX_BOOSTED)
    assert "<html" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_full_page(client):
    response = client.get("/poti/", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.text


def test_htmx_request_gets_the_named_block(client):
    response = client.get("/poti/", headers=HTMX)
    assert "<html" not in response.text and "<header" not in response.text
    assert "ფოთის მუნიციპალიტეტი" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_error_fragment_for_htmx(client):
    response = client.get("/poti/nothing-here", headers=HTMX)
    assert response.status_code == 404
    assert "<html" not in response.text and "გვერდი ვერ მოიძებნა" in response.text


@pytest.mark.parametrize("style", ["beforebegin", "outerHTML", "innerHTML swap:1s", "none"])
def test_response_headers_accept_every_swap_style(style):
    # htmx-flask 0.1.0 rejects "beforebegin" (a missing comma); ours does not.
    response = hx_headers(Response(), reswap=style, trigger={"saved": 1}, location="/poti/")
    assert response.headers["HX-Reswap"] == style
    assert response.headers["HX-Trigger"] == '{"saved": 1}'
    assert response.headers["HX-Location"] == "/poti/"


def test_unknown_swap_style_is_a_programming_error():
    with pytest.raises(ValueError):
        hx_headers(Response(), reswap="sideways")
