"""Return paths (``next``) stay on the portal: one ``safe_next``, checked through the real routes.

Where a browser would go is decided by ada-url, a WHATWG URL parser (what browsers follow):
it strips tabs and newlines and reads a backslash as a slash, as the attacks rely on.
"""

from __future__ import annotations

from urllib.parse import unquote

import ada_url
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadRequest

from portal.web.redirects import CONTROL, safe_next
from tests.helpers import csrf_token
from tests.staff_fixtures import PASSWORD, totp_now

ORIGIN = "http://localhost"

HOSTILE = [
    "/\t/evil.example/x", "/\n/evil.example/x", "/\r/evil.example/x", "//evil.example/x",
    "/\\evil.example/x", "\\\\evil.example/x", "https://evil.example/", "http:evil.example",
    "javascript:alert(1)", "/%2F/evil.example", "/%5Cevil.example", "/%09/evil.example",
    "%2F%2Fevil.example", " //evil.example", "/\x00/evil.example", "\x0c//evil.example",
    "data:text/html,x", "///evil.example", "/%252F%252Fevil.example", "/\u202e/x",
]


def browser_target(location: str, base: str = ORIGIN + "/poti/accounts/sign-in") -> str:
    """The origin a browser ends at after following ``location`` from ``base``."""
    url = ada_url.URL(location, base)
    return f"{url.protocol}//{url.host}"


def _language(client, target):
    return client.get("/language", query_string={"lang": "en", "next": target})


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_every_way_off_the_site(app, target):
    with app.test_request_context("/"):
        try:
            result = safe_next(target, "/")
        except BadRequest:
            assert CONTROL.search(target)
        else:
            assert result == "/"


@pytest.mark.parametrize("target", ["/poti/", "/poti/sessions/?q=ბიუჯეტი&page=2", "/tour/#map",
                                    "/poti/სხდომები", "/a%20b", "/"])
def test_safe_next_keeps_local_paths(app, target):
    with app.test_request_context("/"):
        assert unquote(safe_next(target, "/")) == unquote(target)


@pytest.mark.parametrize("target", ["/\t/evil.example/x", "//evil.example/x", "/\\evil.example/x",
                                    "/%2F/evil.example", "https://evil.example/"])
def test_language_switch_never_leaves_the_site(client, target):
    response = _language(client, target)
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        assert browser_target(response.headers["Location"]) == ORIGIN


@pytest.mark.parametrize("target", ["/poti/\n/x", "/poti/\r\nSet-Cookie: a=b", "/\x00"])
def test_control_characters_in_next_are_a_bad_request(client, target):
    assert _language(client, target).status_code == 400
    assert client.get("/poti/accounts/sign-in", query_string={"next": target}).status_code == 400


def test_sign_in_refuses_the_tab_trick(client, poti, staff):
    user = staff(poti, ["editor"])
    assert client.get("/poti/accounts/sign-in?next=/%09/evil.example/x").status_code == 400
    token = csrf_token(client.get("/poti/accounts/sign-in").text)
    response = client.post("/poti/accounts/sign-in", data={
        "csrf_token": token, "email": user.email, "password": PASSWORD, "next": "/\t/evil.example/x"})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "/%2F/evil.example/x"])
def test_sign_in_ends_on_the_portal_whatever_next_said(client, poti, staff, target):
    user = staff(poti, ["editor"])
    base = "/poti/accounts"
    page = client.get(f"{base}/sign-in", query_string={"next": target})
    assert 'id="next" name="next" type="hidden" value=""' in page.text
    response = client.post(f"{base}/sign-in", data={
        "csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    page = client.get(f"{base}/two-factor")
    response = client.post(f"{base}/two-factor", data={
        "csrf_token": csrf_token(page.text), "code": totp_now(user.totp_secret)})
    assert response.status_code == 303
    assert browser_target(response.headers["Location"]) == ORIGIN
    assert "evil" not in response.headers["Location"]


def test_sign_in_keeps_a_local_next(client, poti, staff):
    user = staff(poti, ["editor"])
    base = "/poti/accounts"
    page = client.get(f"{base}/sign-in?next=/poti/admin/")
    response = client.post(f"{base}/sign-in", data={
        "csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD,
        "next": "/poti/admin/"})
    page = client.get(f"{base}/two-factor")
    response = client.post(f"{base}/two-factor", data={
        "csrf_token": csrf_token(page.text), "code": totp_now(user.totp_secret)})
    assert response.headers["Location"] == "/poti/admin/"


def test_staff_page_on_own_domain_asks_to_return_to_its_public_path(client):
    response = client.get("/admin/", headers={"Host": "poti.gov.ge"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "next=/admin/" in location.replace("%2F", "/") and "/poti/admin" not in location.replace("%2F", "/")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.one_of(
    st.text(max_size=40),
    st.text(alphabet="/\\\t\n\r %:.@?#a0x", max_size=20),
    st.builds(lambda a, b: a + "evil.example" + b, st.sampled_from(["//", "/\\", "\\\\", "/\t/", "https://",
                                                                     "/%2f/", "%2F%2F", " /", "/ /"]),
              st.text(max_size=5)),
))
def test_whatever_next_is_the_redirect_stays_on_the_same_origin(client, target):
    response = _language(client, target)
    assert response.status_code in (303, 400), response.status_code
    if response.status_code == 303:
        assert browser_target(response.headers["Location"], ORIGIN + "/poti/x/y") == ORIGIN
