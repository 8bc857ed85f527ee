"""Uploads everywhere (issue 17): every route that takes a file refuses an HTML or SVG page
dressed as a picture, and every route that serves an uploaded file serves it safely.

The routes are found in ``app.url_map``, not listed by hand: a POST route is an upload route
when its view (or a function of the portal it calls, two calls deep) reads ``request.files``,
builds a ``FileField``, or reads ``.data`` of a form's file field. Each must be in
``UPLOAD_ROUTES`` with the field(s) it reads and the check its files go through, so a new
upload route fails here until it is reviewed. Each check is shown to refuse the disguised
files; the staff routes are also driven over HTTP with their ``@submission`` body
(tests/factories.py) plus the disguised files, and nothing of them may reach the disk.

Likewise a GET route that sends stored files (``uploads.download``, ``storage.send``,
``storage.read``, ``send_from_directory``) must be in ``SERVING_ROUTES`` with how it serves
them; the ways are checked for their headers.
"""

from __future__ import annotations

import dis
import inspect
import io
import struct
import types
import zlib
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms.fields import FileField
from wtforms.fields.core import UnboundField

from portal.extensions import db
from portal.services import images, storage, uploads
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.factories import Objects, rule_for, submissions
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in

MARK = b"zq-upload-7f3"
HTML = b"<!DOCTYPE html><html><body><script>alert('" + MARK + b"')</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert('" + MARK + b"')</script></svg>")
#: Pages behind a picture's first bytes (a check by magic number alone lets them through).
PNG_POLYGLOT = b"\x89PNG\r\n\x1a\n" + HTML
JPEG_POLYGLOT = b"\xff\xd8\xff\xe0" + HTML
#: (bytes, name, declared type): each claims to be a picture.
DISGUISED = [(HTML, "photo.png", "image/png"), (SVG, "photo.jpg", "image/jpeg"),
             (SVG, "photo.svg", "image/svg+xml"), (PNG_POLYGLOT, "photo.png", "image/png"),
             (JPEG_POLYGLOT, "photo.jpg", "image/jpeg")]

#: endpoint -> (file fields, the check its files go through). Staff routes are driven over
#: HTTP below; the public ones' checks are reached from their views (proved statically) and
#: driven directly.
UPLOAD_ROUTES: dict[str, tuple[tuple[str, ...], str]] = {
    "admin.settings": (("logo",), "settings._save_logo"),
    "consultations_admin.add_documents": (("documents",), "uploads.check"),
    "documents_admin.upload": (("file",), "uploads.check"),
    "grants_admin.new": (("documents",), "uploads.check"),
    "grants_admin.edit": (("documents",), "uploads.check"),
    "news_admin.new": (("image",), "images.make_sizes"),
    "news_admin.edit": (("image",), "images.make_sizes"),
    "projects_admin.post_update": (("photo",), "images.make_sizes"),
    "sessions_admin.new_member": (("photo",), "composition.set_member_photo"),
    "sessions_admin.edit_member": (("photo",), "composition.set_member_photo"),
    "sessions_admin.member_report": (("file",), "uploads.check"),
    "sessions_admin.upload_document": (("document-file",), "documents.check_document"),
    "sessions_admin.upload_transcript": (("file",), "recordings.upload_transcript"),
    "tour_admin.new": (("photo",), "images.make_sizes"),
    "tour_admin.edit": (("photo",), "images.make_sizes"),
    # public (citizens)
    "grants.mine": (("attachments",), "uploads.check"),
    "grants.report": (("photos",), "uploads.check"),
    "letters.write_mayor": (("attachments",), "uploads.check"),
    "letters.write_chair": (("attachments",), "uploads.check"),
    "municipal_services.apply": (("<a service's file field>",), "uploads.check"),
    "municipal_services.documents": (("documents",), "uploads.check"),
    "petitions_author.new": (("attachment",), "uploads.check"),
    "petitions_author.edit": (("attachment",), "uploads.check"),
}

#: endpoint -> how it serves stored files.
SERVING_ROUTES: dict[str, str] = {
    **dict.fromkeys((
        "consultations.document", "documents.download", "grants.photo", "grants.attachment",
        "grants.document", "grants_admin.attachment", "letters.mine_attachment",
        "letters.tracked_attachment", "letters_chair.attachment", "letters_mayor.attachment",
        "municipal_services.file", "municipal_services_admin.request_file",
        "petitions.attachment", "petitions_admin.attachment", "petitions_author.attachment",
        "sessions.report_file", "sessions_admin.report_file"),
        "download"),  # uploads.download: attachment, nosniff, sandbox
    **dict.fromkeys(("news.image", "news_admin.image", "projects.photo", "tour.photo",
                     "tour_admin.photo"),
                    "webp"),  # re-encoded by Pillow (images.make_sizes), sent as image/webp
    "sessions.member_photo": "photo",  # PNG/JPEG checked by content, inline image
    "sessions.document": "archive",  # a clerk's PDF inline; text inline, sandboxed; else download
    "home.asset": "asset",  # the municipality's own files, and its logo (a checked PNG)
}


# --- finding the routes -------------------------------------------------------------------

def _codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _named(func) -> list[object]:
    """What ``func``'s code loads as a global, or as an attribute of a global module
    (``uploads.check``); an attribute of anything else (``form.attachment``) is not followed."""
    found = []
    for code in _codes(func.__code__):
        previous = None
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                previous = func.__globals__.get(ins.argval)
                found.append(previous)
                continue
            if ins.opname in ("LOAD_ATTR", "LOAD_METHOD") and isinstance(previous,
                                                                           types.ModuleType):
                found.append(getattr(previous, ins.argval, None))
            previous = None
    return found


def _reachable(func, depth: int = 2, seen: dict | None = None) -> dict:
    """``func`` and the portal's functions it calls, ``depth`` calls deep."""
    seen = {} if seen is None else seen
    func = inspect.unwrap(func)
    if not isinstance(func, types.FunctionType) or func in seen or depth < 0:
        return seen
    seen[func] = None
    for value in _named(func):
        if isinstance(value, types.FunctionType) and value.__module__.startswith("portal"):
            _reachable(value, depth - 1, seen)
    return seen


def _file_fields(form: type) -> list[str]:
    return [name for name in dir(form) if isinstance(getattr(form, name, None), UnboundField)
            and issubclass(getattr(form, name).field_class, FileField)]


def _loads(funcs) -> tuple[set[tuple[str, str]], set[str], set[type]]:
    """(consecutive loaded names, every name, file-field forms named) in ``funcs``' code."""
    pairs, names, forms = set(), set(), set()
    loads = ("LOAD_ATTR", "LOAD_METHOD", "LOAD_GLOBAL", "LOAD_NAME", "LOAD_FAST", "LOAD_DEREF")
    for func in funcs:
        for code in _codes(func.__code__):
            found = [i.argval for i in dis.get_instructions(code) if i.opname in loads]
            pairs.update(zip(found, found[1:], strict=False))
            names.update(code.co_names)
            for name in code.co_names:
                value = func.__globals__.get(name)
                if isinstance(value, type) and issubclass(value, FlaskForm) and _file_fields(value):
                    forms.add(value)
    return pairs, names, forms


def takes_files(view) -> bool:
    pairs, names, forms = _loads(_reachable(view))
    return (("request", "files") in pairs or bool(names & {"FileField", "MultipleFileField"})
            or any((field, "data") in pairs for form in forms for field in _file_fields(form)))


def serves_files(view) -> bool:
    funcs = _reachable(view, depth=2)
    serving = {uploads.download, storage.send, storage.read}
    if serving & set(funcs):
        return True
    pairs, names, _ = _loads(funcs)
    return bool(names & {"send_from_directory", "send_file"}) or ("storage", "send") in pairs \
        or ("storage", "read") in pairs or ("uploads", "download") in pairs


def test_every_upload_route_is_reviewed(app):
    found = {r.endpoint for r in app.url_map.iter_rules()
             if {"POST", "PUT"} & r.methods and takes_files(app.view_functions[r.endpoint])}
    assert found - set(UPLOAD_ROUTES) == set(), (
        "a route takes files: check them with services/uploads.py (or images.py for pictures "
        f"shown on pages) and list it in UPLOAD_ROUTES: {sorted(found - set(UPLOAD_ROUTES))}")
    assert set(UPLOAD_ROUTES) - found == set(), sorted(set(UPLOAD_ROUTES) - found)


def test_every_route_serving_stored_files_is_reviewed(app):
    found = {r.endpoint for r in app.url_map.iter_rules()
             if "GET" in r.methods and serves_files(app.view_functions[r.endpoint])}
    assert found - set(SERVING_ROUTES) == set(), sorted(found - set(SERVING_ROUTES))
    assert set(SERVING_ROUTES) - found == set(), sorted(set(SERVING_ROUTES) - found)


def test_the_finder_finds_a_new_upload_route():
    from flask import request

    def new_route():
        return str(request.files.get("x"))

    def plain():
        return str(request.form.get("x"))

    assert takes_files(new_route) and not takes_files(plain)


@pytest.mark.parametrize("endpoint", sorted(UPLOAD_ROUTES))
def test_each_upload_route_reaches_its_check(app, endpoint):
    """The check named for a route is among what its view calls (public routes are proved
    refusing through these checks; the staff routes over HTTP as well)."""
    _, check = UPLOAD_ROUTES[endpoint]
    reached = {f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}"
               for f in _reachable(app.view_functions[endpoint], depth=4)}
    assert check in reached, (endpoint, check, sorted(reached))


# --- the checks refuse pages dressed as pictures -------------------------------------------

@pytest.mark.parametrize("data,name,declared", DISGUISED, ids=[d[1] + str(i) for i, d in enumerate(DISGUISED)])
def test_the_shared_checks_refuse_disguised_pages(app, poti, data, name, declared):
    upload = FileStorage(io.BytesIO(data), filename=name, content_type=declared)
    for allowed in (uploads.DOCUMENTS, uploads.OFFICE, frozenset({uploads.PNG, uploads.JPEG})):
        upload.stream.seek(0)
        with pytest.raises(uploads.UploadRefused):
            uploads.check(upload, allowed=allowed)
    with pytest.raises(images.ImageRefused):
        images.make_sizes(data)
    from portal.blueprints.sessions.council import composition, documents
    from portal.blueprints.sessions.council.services import ArchiveError
    from portal.blueprints.sessions.models import Member

    with app.test_request_context("/poti/"), tenant_context(poti):
        member = Member(slug="disguise", name_ka="ა")
        with pytest.raises(ArchiveError):
            composition.set_member_photo(member, name, data)
        with pytest.raises(ArchiveError):
            documents.check_document(name, data)
        db.session.rollback()


def test_the_logo_check_refuses_disguised_pages(app, poti):
    from portal.blueprints.admin.profile import ProfileInvalid
    from portal.blueprints.admin.settings import _save_logo

    with app.test_request_context("/poti/admin/settings"), tenant_context(poti):
        for data, name, declared in DISGUISED:
            with pytest.raises(ProfileInvalid):
                _save_logo(FileStorage(io.BytesIO(data), filename=name, content_type=declared))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: A real 1×1 PNG with its author's name in a text chunk.
PNG = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
       + _chunk(b"tEXt", b"Author\x00Nino Beridze") + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
       + _chunk(b"IEND", b""))


def test_member_photos_and_logos_lose_their_metadata(app, poti):
    """The two pictures that were checked by their first bytes alone now go through
    ``uploads``: metadata dropped, the server's name."""
    from portal.blueprints.admin.settings import _save_logo, uploads_folder
    from portal.blueprints.sessions.council import composition
    from portal.blueprints.sessions.models import Member

    with app.test_request_context("/poti/"), tenant_context(poti):
        member = Member(slug="metadata", name_ka="ა")
        db.session.add(member)
        db.session.flush()
        composition.set_member_photo(member, "../../me.png", PNG)
        stored = storage.read(member.photo_path)
        assert stored.startswith(b"\x89PNG") and b"Nino Beridze" not in stored
        assert "metadata-photo" in member.photo_path and ".." not in member.photo_path
        db.session.rollback()
        logo = _save_logo(FileStorage(io.BytesIO(PNG), filename="../logo.svg"))
        saved = (uploads_folder("poti") / Path(logo).name).read_bytes()
        assert saved.startswith(b"\x89PNG") and b"Nino Beridze" not in saved
        assert Path(logo).name.startswith("logo-") and logo.endswith(".png")


# --- the staff routes over HTTP --------------------------------------------------------------

STAFF_UPLOADS = sorted(e for e in UPLOAD_ROUTES if "_admin." in e or e.startswith("admin."))


def _files_with_mark(app) -> list[Path]:
    root = Path(app.instance_path)
    return [p for p in root.rglob("*") if p.is_file() and p.suffix not in (".db", ".sqlite")
            and "-journal" not in p.name and MARK in p.read_bytes()]


@pytest.fixture(autouse=True)
def _no_mail(monkeypatch):
    from portal.blueprints.accounts import notifications

    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: None)


@pytest.mark.parametrize("endpoint", STAFF_UPLOADS)
def test_staff_upload_routes_refuse_disguised_pages(app, staff, poti, endpoint):
    fields, _ = UPLOAD_ROUTES[endpoint]
    client = app.test_client()
    signed_in(client, staff(poti, ["admin"], platform=True))
    objects = Objects(app, poti)
    url = objects.url(rule_for(app, endpoint), "poti")
    token = csrf_token(client.get("/poti/admin/staff").text)
    before = set(_files_with_mark(app))  # another test's leftovers are not this route's
    for data, name, declared in DISGUISED:
        body = submissions()[endpoint](objects, client)
        body.setdefault("csrf_token", token)
        for field in fields:
            body[field] = (io.BytesIO(data), name, declared)
        response = client.post(url, data=body, content_type="multipart/form-data")
        assert response.status_code < 500, (endpoint, name, response.status_code)
        assert response.status_code != 303, (endpoint, name, "accepted a disguised page")
        assert set(_files_with_mark(app)) <= before, (endpoint, name)


def test_a_staff_upload_route_takes_a_real_picture_through_the_same_field(app, staff, poti):
    """The field names above are the forms' own: the same route and field take a real PNG."""
    client = app.test_client()
    signed_in(client, staff(poti, ["admin"], platform=True))
    objects = Objects(app, poti)
    endpoint = "sessions_admin.new_member"
    url = objects.url(rule_for(app, endpoint), "poti")
    body = submissions()[endpoint](objects, client)
    body.update(csrf_token=csrf_token(client.get("/poti/admin/staff").text), slug="real-photo",
                photo=(io.BytesIO(PNG), "me.png", "image/png"))
    assert client.post(url, data=body, content_type="multipart/form-data").status_code == 303


def test_a_public_upload_route_refuses_disguised_pages(app, client, poti):
    """A citizen's form over HTTP: a letter to the mayor with the disguised files."""
    from werkzeug.datastructures import MultiDict
    from werkzeug.test import encode_multipart

    before = set(_files_with_mark(app))
    page = client.get("/poti/letters/mayor")
    fields = MultiDict({"csrf_token": csrf_token(page.text), "full_name": "ნინო ბერიძე",
                        "email": "nino@example.ge", "subject": "განათება", "text": "ლამპიონი."})
    for data, name, declared in DISGUISED[:3]:  # the form takes three files at most
        fields.add("attachments", FileStorage(io.BytesIO(data), name, content_type=declared))
    boundary, body = encode_multipart(fields)
    response = client.post("/poti/letters/mayor", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code != 303 and response.status_code < 500
    assert set(_files_with_mark(app)) <= before


# --- serving ---------------------------------------------------------------------------------

def test_a_download_is_never_a_page_of_the_portal(app, poti):
    with app.test_request_context("/poti/"), tenant_context(poti):
        key, _ = storage.save("poti/test", "page.html", HTML)
        response = uploads.download(key, mimetype="text/html", name="page.html")
        response.direct_passthrough = False
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        response.close()
        storage.path_of(key).unlink()


def _archive_document(app, poti, filename: str, data: bytes) -> str:
    from portal.blueprints.sessions.council import documents
    from portal.blueprints.sessions.models import CouncilSession
    from tests.sessions.admin.factories import make_session

    session_id = make_session(app, poti)
    with app.test_request_context("/poti/"), tenant_context(poti):
        document = documents.add_document(db.session.get(CouncilSession, session_id), filename,
                                          data, kind="other")
        db.session.commit()
        return f"/poti/sessions/documents/{document.id}/{document.filename}"


def test_archive_html_is_a_sandboxed_download_and_text_is_sandboxed(app, client, poti):
    url = _archive_document(app, poti, "minutes.html", b"<p>" + MARK + b"</p><script>x()</script>")
    response = client.get(url)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    response.close()
    text = client.get(_archive_document(app, poti, "agenda.txt", "დღის წესრიგი".encode()))
    assert text.mimetype == "text/plain" and text.headers["Content-Security-Policy"].startswith(
        "sandbox")
    text.close()


def test_served_member_photos_and_logos_are_images_with_nosniff(app, client, poti, staff):
    from portal.blueprints.sessions.council import composition
    from portal.blueprints.sessions.models import Member

    with app.test_request_context("/poti/"), tenant_context(poti):
        member = Member(slug="served-photo", name_ka="ა")
        db.session.add(member)
        db.session.flush()
        composition.set_member_photo(member, "me.png", PNG)
        db.session.commit()
    response = client.get("/poti/sessions/members/served-photo/photo")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    from portal.blueprints.admin.settings import _save_logo

    with app.test_request_context("/poti/admin/settings"), tenant_context(poti):
        logo = _save_logo(FileStorage(io.BytesIO(PNG), filename="logo.png"))
    response = client.get(f"/poti/assets/{logo}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_domain_errors_are_the_refusals(app):
    """The refusals above are the portal's form errors (shown on the field), not crashes."""
    assert issubclass(uploads.UploadRefused, DomainError) and issubclass(images.ImageRefused,
                                                                          DomainError)
