"""Bad numbers and text never reach the database as a crash: integers beyond the database's
range in query strings, forms and paths, NUL characters in text from any source, and an error
page that renders even after the failed statement (issue 10, item 12)."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import insert, select
from wtforms import IntegerField, SelectFieldBase

from portal import create_app
from portal.blueprints.sessions.models import Recording, TranscriptSegment
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import csrf_token
from tests.sessions.admin_recordings.factories import make_recording
from tests.staff_fixtures import signed_in

HUGE = "9223372036854775808"
THIRTY_DIGITS = "9" * 30


@pytest.mark.parametrize("url", [f"/poti/admin/messages?before={HUGE}",
                                 f"/platform/jobs?before={HUGE}",
                                 f"/poti/admin/messages?before=-{HUGE}",
                                 "/poti/admin/sessions/recordings?page=²",
                                 "/poti/sessions/?page=²",
                                 f"/poti/sessions/?page={HUGE}{HUGE}"])
def test_huge_or_odd_numbers_in_query_strings_are_not_a_500(client, poti, staff, url):
    signed_in(client, staff(poti, ["admin"], platform=True))
    response = client.get(url)
    assert response.status_code < 500, response.status_code


def test_a_thirty_digit_session_on_the_match_form_is_refused(app, client, poti, staff):
    made = make_recording(app, poti)
    signed_in(client, staff(poti, ["admin"]))
    url = f"/poti/admin/sessions/recordings/{made.recording}/match"
    token = csrf_token(client.get("/poti/admin/sessions/recordings").text)
    for data in ({"session_id": THIRTY_DIGITS}, {"other": THIRTY_DIGITS},
                 {"other": "#" + THIRTY_DIGITS}, {"session_id": "²"}):
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 422, (data, response.status_code)


def test_path_ids_beyond_the_database_range_are_404(client, poti, staff):
    signed_in(client, staff(poti, ["admin"]))
    assert client.get(f"/poti/sessions/{THIRTY_DIGITS}").status_code == 404
    assert client.get(f"/poti/admin/sessions/recordings/{HUGE}").status_code == 404


def test_parse_int_takes_ascii_digits_within_bounds():
    from portal.web.inputs import parse_int

    assert parse_int("42") == 42 and parse_int(" 7 ") == 7 and parse_int("-3", minimum=-5) == -3
    for bad in (None, "", "x", "1e3", "²", "١٢", HUGE, "-1", "1.5", "4\x002"):
        assert parse_int(bad) is None, bad
    assert parse_int("5", maximum=4) is None


def _form_classes():
    import portal.blueprints  # noqa: F401 - every feature's forms are imported by now

    seen, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(cls.__subclasses__())
    return seen


def test_every_integer_field_and_integer_choice_of_every_form_is_bounded(app):
    from portal.web.inputs import BoundedIntegerField

    with app.test_request_context("/poti/"):
        from portal.blueprints.admin.forms import profile_form_class

        profile_form_class()  # built at run time from the profile fields
        unbounded = []
        for cls in _form_classes():
            for name, unbound in vars(cls).items():
                field_class = getattr(unbound, "field_class", None)
                if field_class is None:
                    continue
                if issubclass(field_class, IntegerField) and not issubclass(
                        field_class, BoundedIntegerField):
                    unbounded.append(f"{cls.__name__}.{name}")
                if issubclass(field_class, SelectFieldBase) and unbound.kwargs.get("coerce") is int:
                    unbounded.append(f"{cls.__name__}.{name} (coerce=int)")
    assert not unbounded, "use portal.web.inputs.BoundedIntegerField / coerce=db_int: " + ", ".join(
        sorted(unbounded))


def test_nul_in_text_from_sync_or_transcripts_never_reaches_the_database(app, poti):
    made = make_recording(app, poti)
    with app.app_context(), tenant_context(poti):
        recording = db.session.get(Recording, made.recording)
        recordings.replace_transcript(recording, [Cue(1, 4, "ვხსნით\x00 სხდომას", "თავ\x00მჯდომარე")])
        db.session.execute(insert(TranscriptSegment).values(
            tenant_id=poti.id, recording_id=made.recording, start_seconds=5, end_seconds=6,
            text="core\x00insert", speaker="", language="ka", origin="upload"))
        db.session.commit()
        db.session.expire_all()
        rows = db.session.execute(select(TranscriptSegment.text, TranscriptSegment.speaker).where(
            TranscriptSegment.recording_id == made.recording)).all()
    assert sorted(rows) == [("core insert".replace(" ", ""), ""), ("ვხსნით სხდომას", "თავმჯდომარე")]


@pytest.fixture
def failing_app(app):
    failing = create_app({"TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    failing.extensions["tenant_directory"] = app.extensions["tenant_directory"]

    @failing.get("/<tenant_slug>/broken-write")
    def broken_write():
        from portal.tenancy.models import Tenant

        db.session.add(Tenant(slug=None, name_ka=None, name_en=None))  # NOT NULL: flush fails
        db.session.flush()

    return failing


def test_the_error_page_renders_after_a_failed_transaction(failing_app, poti, staff):
    client = failing_app.test_client()
    signed_in(client, staff(poti, ["admin"]))  # the page reads current_user: a query
    response = client.get("/poti/broken-write")
    assert response.status_code == 500
    assert "რაღაც შეცდომა მოხდა" in response.text


def test_int_arg_gives_the_default_clamps_or_refuses(app):
    from portal.web.inputs import int_arg

    with app.test_request_context("/?page=7&big=999&bad=x&neg=-4&odd=%C2%B2&huge=" + HUGE):
        assert int_arg("page", 1, minimum=1, maximum=10) == 7
        assert int_arg("missing", 1) == 1 and int_arg("bad", 1) == 1 and int_arg("odd", 1) == 1
        assert int_arg("big", 1, minimum=1, maximum=10) == 10  # clamped: the last page
        assert int_arg("neg", 1, minimum=1) == 1
        assert int_arg("huge", 1, minimum=1, maximum=10) == 1  # beyond 64 bits: unusable
        assert int_arg("big", None, maximum=10, clamp=False) is None  # refused, not clamped
        assert int_arg("page", None, maximum=10, clamp=False) == 7
        assert int_arg("page", source={"page": "3"}) == 3


def test_numbers_from_requests_are_parsed_in_one_place():
    """No view parses a number from the request by hand: ``int(request…)``, a private
    ``_int_arg`` or a ``try: int(…) except ValueError`` around request data."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "portal"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "inputs.py" and path.parent.name == "web":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("_int_arg", "_optional_int"):
                offenders.append(f"{path}:{node.lineno} defines {node.name}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "int" and node.args
                    and "request" in ast.unparse(node.args[0])):
                offenders.append(f"{path}:{node.lineno} {ast.unparse(node)}")
    assert not offenders, offenders


@pytest.mark.parametrize("url", ["/poti/sessions/?page=x", "/poti/sessions/?page=-1",
                                 "/poti/sessions/?page=99999999", "/poti/sessions/1?t=%C2%B2",
                                 "/poti/sessions/search?year=%C2%B2&body=-1&before=" + HUGE,
                                 "/poti/sessions/api/sessions?page=%C2%B2",
                                 "/poti/sessions/api/sessions?page=" + HUGE,
                                 "/poti/admin/audit?page=x", "/poti/admin/sessions/?page=-7"])
def test_bad_numbers_never_give_a_500(client, poti, staff, url):
    signed_in(client, staff(poti, ["admin"]))
    response = client.get(url)
    assert response.status_code < 500, response.status_code
    if "/api/" in url:
        assert response.status_code == 400
