"""The JSON API's contract: RFC 3339 datetimes with their offset, as the OpenAPI document
declares (responses validated against it), and errors as problem+json under the API's path."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from werkzeug.exceptions import InternalServerError, TooManyRequests

from portal.extensions import db

API = "/poti/sessions/api"


def _check(spec: dict, schema: dict, instance) -> None:
    """``instance`` against ``schema`` of the OpenAPI document, formats (date-time) checked."""
    root = {**schema, "components": spec["components"]}
    OAS31Validator(root, format_checker=oas31_format_checker).validate(instance)


def _response_schema(spec: dict, path: str, status: str = "200") -> dict:
    response = spec["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return next(iter(response["content"].values()))["schema"]


def test_datetimes_are_rfc3339_with_offset_as_documented(client, archives):
    spec = client.get(f"{API}/openapi.json").get_json()
    a = archives["poti"]
    db.session.expire_all()  # read the rows back as the database stores them
    listing = client.get(f"{API}/sessions").get_json()
    _check(spec, _response_schema(spec, "/api/sessions"), listing)
    [held] = [s for s in listing["past"] if s["id"] == a.session.id]
    assert held["starts_at"] == "2025-03-14T08:00:00Z"
    detail = client.get(f"{API}/sessions/{a.session.id}").get_json()
    _check(spec, _response_schema(spec, "/api/sessions/{session_id}"), detail)
    recordings = client.get(f"{API}/recordings").get_json()
    _check(spec, _response_schema(spec, "/api/recordings"), recordings)
    assert {r["published_at"] for r in recordings["recordings"]} == {
        "2025-03-14T08:00:00Z", "2023-05-05T08:00:00Z"}
    found = client.get(f"{API}/search?q=წყალარ").get_json()
    _check(spec, _response_schema(spec, "/api/search"), found)


def _assert_problem(response, status: int, spec: dict | None = None):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "<html" not in response.get_data(as_text=True)
    if spec is not None:
        _check(spec, spec["components"]["schemas"]["Problem"], body)
    return body


@pytest.mark.parametrize("path", [
    "/sessions/999999999",      # no such session (the view's 404)
    "/nothing-here",            # no such route under the API (the router's 404)
    "/sessions/abc",            # the path converter refuses it (the router's 404)
])
def test_not_found_is_problem_json(client, archives, path):
    spec = client.get(f"{API}/openapi.json").get_json()
    body = _assert_problem(client.get(API + path), 404, spec)
    assert body["title"] == "გვერდი ვერ მოიძებნა"  # localised like the pages (Georgian first)


def test_foreign_session_is_problem_json(client, archives):
    _assert_problem(client.get(f"{API}/sessions/{archives['abasha'].session.id}"), 404)


def test_method_not_allowed_is_problem_json_with_allow(client, archives):
    response = client.post(f"{API}/sessions")
    _assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    _assert_problem(client.delete(f"{API}/search"), 405)


@pytest.mark.parametrize("query", ["sessions?page=abc", "sessions?page=0", "recordings?page=-1",
                                   "search?year=abc", "search?body=x", "search?before=" + "9" * 30,
                                   "search?transcript=yes"])
def test_bad_parameters_are_400_problem_json(client, archives, query):
    spec = client.get(f"{API}/openapi.json").get_json()
    body = _assert_problem(client.get(f"{API}/{query}"), 400, spec)
    assert query.split("?")[1].split("=")[0] in body["detail"]  # names the parameter


@pytest.mark.parametrize("error", [TooManyRequests(), InternalServerError()])
def test_other_errors_under_the_api_are_problem_json(app, error):
    """429 and 500 take the same way as any error raised while answering an API request."""
    with app.test_request_context(f"{API}/sessions"):
        response = app.make_response(app.handle_user_exception(error))
    _assert_problem(response, error.code)
    with app.test_request_context("/poti/sessions/"):
        page = app.make_response(app.handle_user_exception(error))
    assert page.mimetype == "text/html" and page.status_code == error.code


def test_pages_outside_the_api_keep_html_errors(client, archives):
    response = client.get("/poti/sessions/999999999")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert client.get("/poti/sessions/apix").mimetype == "text/html"
