"""Property-based: every form of accounts and the admin, driven with arbitrary input.

No input gives a 5xx, a refused submission changes nothing, and no input comes back
unescaped (each generated value carries a ``<zqN>`` marker that must never appear raw).
At least 100 examples per form in CI (``CI`` set); ``FORM_EXAMPLES`` sets it locally.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests.factories import row_counts
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import signed_in

EXAMPLES = 100 if os.environ.get("CI") else int(os.environ.get("FORM_EXAMPLES", "12"))
NASTY = ["\x00", "'\"><img src=x onerror=alert(1)>", "<script>alert(1)</script>", "\ud7ff\uffff",
         "ფოთი", "#0b4f8a", "https://example.org/", "a@b.co", "12", "-1", "1e309", "", " ", "x" * 5000]

#: (name, method, url, fields, who): who is "anonymous", "admin" or "platform".
FORMS = [
    ("sign_in", "POST", "/poti/accounts/sign-in", ["email", "password", "next"], "anonymous"),
    ("two_factor", "POST", "/poti/accounts/two-factor", ["code"], "anonymous"),
    ("reset", "POST", "/poti/accounts/reset", ["email"], "anonymous"),
    ("login_link", "POST", "/poti/accounts/link", ["email"], "anonymous"),
    ("reset_token", "POST", "/poti/accounts/reset/forged-token", ["password", "confirm"], "anonymous"),
    ("settings", "POST", "/poti/admin/settings",
     ["name_ka", "name_en", "short_name_ka", "tagline_ka", "primary", "accent", "population", "area_km2",
      "mayor_inbox", "social", "tour_url", "registered_voters", "domains", "description_ka"], "admin"),
    ("preview", "GET", "/poti/admin/settings/preview", ["primary", "accent", "name_ka", "tagline_ka"], "admin"),
    ("invite", "POST", "/poti/admin/staff/invite", ["email", "name", "roles"], "admin"),
    ("roles", "POST", "/poti/admin/staff/{editor}", ["roles"], "admin"),
    ("audit", "GET", "/poti/admin/audit", ["q", "action", "since", "until", "page"], "admin"),
    ("add_tenant", "POST", "/platform/tenants", ["slug", "name_ka", "name_en"], "platform"),
    ("session_filter", "GET", "/poti/admin/sessions/", ["body", "status", "year", "page"], "admin"),
    ("session_new", "POST", "/poti/admin/sessions/new",
     ["body_id", "title", "kind", "status", "starts_at", "ends_at", "place", "description"], "admin"),
    ("body_new", "POST", "/poti/admin/sessions/bodies/new", ["slug", "name_ka", "name_en", "kind", "position"],
     "admin"),
    ("member_new", "POST", "/poti/admin/sessions/members/new",
     ["slug", "name_ka", "name_en", "party", "email", "phone", "term_start", "term_end", "activity_report"],
     "admin"),
    ("appoint", "POST", "/platform/tenants/poti/admins", ["email", "name"], "platform"),
]

values = st.one_of(st.text(max_size=80), st.sampled_from(NASTY))


@st.composite
def submissions(draw, fields):
    data = {}
    for i, name in enumerate(fields):
        if draw(st.booleans()) or name in ("primary", "name_ka"):
            data[name] = draw(values) + f"<zq{i}>" * draw(st.booleans())
    return data


@pytest.fixture(autouse=True)
def _no_mail(monkeypatch):
    from portal.blueprints.accounts import notifications

    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: None)


@pytest.mark.parametrize("name,method,url,fields,who", FORMS, ids=[f[0] for f in FORMS])
def test_forms_survive_arbitrary_input(app, staff, poti, name, method, url, fields, who):
    client = app.test_client()
    editor = staff(poti, ["editor"])
    if who != "anonymous":
        signed_in(client, staff(poti, ["admin"], platform=who == "platform"))
    url = url.format(editor=editor.id)
    token = csrf_token(client.get("/poti/accounts/sign-in").text)

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=submissions(fields), with_token=st.booleans(), htmx=st.booleans())
    def check(data, with_token, htmx):
        headers = HTMX if htmx else {}
        before = row_counts(app)
        if method == "GET":
            response = client.get(url, query_string=data, headers=headers)
        else:
            body = dict(data, csrf_token=token) if with_token or name == "sign_in" else data
            response = client.post(url, data=body, headers=headers)
        assert response.status_code < 500, (data, response.status_code)
        body_text = response.get_data(as_text=True)
        for i in range(len(fields)):
            assert f"<zq{i}>" not in body_text, data
        if response.status_code >= 400 and name not in ("sign_in",):
            assert row_counts(app) == before

    check()


def test_bad_utf8_null_bytes_and_broken_multipart_are_4xx(app, client, poti, staff):
    signed_in(client, staff(poti, ["admin"]))
    token = csrf_token(client.get("/poti/admin/settings").text)
    raw = b"csrf_token=" + token.encode() + b"&name_ka=%FF%FE%00&primary=%230b4f8a"
    response = client.post("/poti/admin/settings", data=raw,
                           content_type="application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500
    response = client.post("/poti/admin/settings", data=b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n",
                           content_type="multipart/form-data; boundary=xx")
    assert 400 <= response.status_code < 500
    assert client.get("/poti/admin/audit?q=%00").status_code == 400
    assert client.get("/poti/admin/staff/99999999999999999999").status_code == 404


def test_a_token_from_another_session_is_refused(app, poti, staff):
    first, second = app.test_client(), app.test_client()
    signed_in(first, staff(poti, ["admin"]))
    signed_in(second, staff(poti, ["admin"]))
    foreign = csrf_token(first.get("/poti/admin/staff").text)
    response = second.post("/poti/admin/staff/invite", data={
        "csrf_token": foreign, "email": "a@example.org", "roles": ["editor"]})
    assert response.status_code == 400


# Every route of app.url_map, its path arguments and the query (and form) arguments it reads,
# driven with numbers beyond 64 bits, negative, non-numeric and NUL-containing values.

#: Each in every argument of every route at once; hypothesis mixes these and the rest.
HOSTILE = ["9223372036854775808", "-9223372036854775809", "9" * 30, "-1", "abc", "²", "7\x00"]
MORE = ["2147483648", "0", "1e309", "1.5", "NaN", "١٢", "\x00", "", " ", "%", "9" * 400]
ROUTE_EXAMPLES = 25 if os.environ.get("CI") else int(os.environ.get("ROUTE_EXAMPLES", "3"))
#: Routes the walk leaves alone: signing out would end the walk's own session.
SKIPPED = {"static", "accounts.sign_out", "accounts.sign_out_everywhere",
           "platform_accounts.sign_out", "platform_accounts.sign_out_everywhere"}
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


class _Recording(ImmutableMultiDict):
    """request.args / request.form that note every name a view asks for."""

    asked: set[str] = set()

    def __contains__(self, key):
        _Recording.asked.add(key)
        return super().__contains__(key)

    def get(self, key, *args, **kwargs):
        _Recording.asked.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        _Recording.asked.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        _Recording.asked.add(key)
        return super().__getitem__(key)


def _url(rule, values: dict) -> str:
    def fill(match):
        converter, name = match.groups()
        return quote(str(values[name]), safe="/" if converter == "path" else "")
    return _PARAM.sub(fill, rule.rule)


def _targets(app, client, real: dict, monkeypatch):
    """(rule, method, names it reads) for every route; the names found by one plain call."""
    monkeypatch.setattr(app.request_class, "parameter_storage_class", _Recording)
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED or rule.endpoint.endswith(".sign_out"):
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            _Recording.asked = set()
            url = _url(rule, {name: real.get(name, 1) for name in rule.arguments})
            client.open(url, method=method, data={"csrf_token": real["csrf_token"]}
                        if method == "POST" else None)
            found.append((rule, method, sorted(_Recording.asked - {"csrf_token", "tenant_slug"})))
    return found


def _call(client, rule, method, path_values, query, token):
    url = _url(rule, path_values)
    if method == "GET":
        return client.get(url, query_string=query)
    return client.post(url, data={**query, "csrf_token": token})


@contextmanager
def _undone(connection):
    """Roll back one route's requests: each writing request leaves a lock on PostgreSQL until
    its savepoint is rolled back, and thousands of them exhaust the server's lock table."""
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


def _mixed(rule, method, names, real, check):
    """Hypothesis mixes of real ids, hostile values, any integers and any text."""
    hostile = st.one_of(st.sampled_from(HOSTILE + MORE), st.integers().map(str),
                        st.text(max_size=20))

    @settings(max_examples=ROUTE_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def mixed(data):
        path_values = {n: data.draw(st.sampled_from([real[n]]) | hostile if n in real else hostile)
                       for n in rule.arguments}
        query = {n: data.draw(hostile) for n in names if data.draw(st.booleans())}
        check(rule, method, path_values, query)

    return mixed


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_every_route_survives_hostile_numbers_and_text(app, staff, poti, who, monkeypatch,
                                                       db_connection):
    from tests.sessions.admin_recordings.factories import make_recording

    client = app.test_client()
    made = make_recording(app, poti)
    if who == "staff":
        signed_in(client, staff(poti, ["admin"], platform=True))
    real = {"tenant_slug": "poti", "session_id": made.session, "recording_id": made.recording,
            "segment_id": made.segment,
            "csrf_token": csrf_token(client.get("/poti/accounts/sign-in").text)}
    with _undone(db_connection):
        targets = _targets(app, client, real, monkeypatch)
    assert len(targets) > 90 and sum(bool(names) for *_, names in targets) > 10
    failures = []

    def check(rule, method, path_values, query):
        response = _call(client, rule, method, path_values, query, real["csrf_token"])
        if response.status_code >= 500:
            failures.append((rule.rule, method, path_values, query, response.status_code))

    for rule, method, names in targets:
        with _undone(db_connection):
            for value in HOSTILE:  # every hostile value in every argument at once
                path_values = {n: real["tenant_slug"] if n == "tenant_slug" else value
                               for n in rule.arguments}
                check(rule, method, path_values, dict.fromkeys(names, value))

            _mixed(rule, method, names, real, check)()
    assert not failures, failures[:20]
