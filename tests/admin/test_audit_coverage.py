"""Every staff route that changes something writes an audit row.

The test finds every staff route accepting POST in ``app.url_map``; each needs a valid
submission in ``SUBMISSIONS`` (a new route fails ``test_every_mutating_staff_route_is_covered``
until its feature adds one), and each submission must add an audit entry naming the actor and
the client address. At run time ``@requires`` also refuses (in tests) a successful staff POST
that wrote no audit row.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.web.permissions import is_staff_rule
from tests.helpers import csrf_token
from tests.sessions.admin import factories as council
from tests.staff_fixtures import signed_in


def _settings(ctx):
    page = ctx["client"].get("/poti/admin/settings").text
    data = {"csrf_token": csrf_token(page), "primary": "#224466"}
    for name, value in re.findall(r'<input [^>]*name="([a-z_0-9]+)"[^>]*value="([^"]*)"', page):
        data.setdefault(name, html.unescape(value))
    for name, value in re.findall(r'<textarea [^>]*name="([a-z_0-9]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data.setdefault(name, html.unescape(value))
    return "/poti/admin/settings", data


def _failed_run(ctx) -> int:
    from portal.jobs.models import JobRun

    with ctx["app"].app_context():
        run = JobRun(task_id="audit-coverage", name="purge_job_runs", tenant_id=None, state="failed")
        db.session.add(run)
        db.session.commit()
        return run.id


def _poti_recording(ctx):
    from portal.tenancy import get_directory
    from tests.sessions.admin_recordings.factories import make_recording

    app = ctx["client"].application
    return make_recording(app, get_directory(app).by_slug("poti"))


def _match(ctx):
    made = _poti_recording(ctx)
    return f"/poti/admin/sessions/recordings/{made.recording}/match", {"session_id": str(made.session)}


def _correct(ctx):
    made = _poti_recording(ctx)
    return (f"/poti/admin/sessions/recordings/{made.recording}/segments/{made.segment}/edit",
            {"text": "ვხსნით საკრებულოს სხდომას", "speaker": "ნინო ბერიძე"})


def _upload(ctx):
    import io

    made = _poti_recording(ctx)
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nახალი სტრიქონი\n".encode()
    return (f"/poti/admin/sessions/recordings/{made.recording}/transcript",
            {"file": (io.BytesIO(vtt), "lines.vtt"), "language": "ka", "replace": "y"})


def _poti(ctx):
    app = ctx["client"].application
    return app, app.extensions["tenant_directory"].by_slug("poti")


def _made(make, *args):
    """An object of Poti made by ``make`` (tests/sessions/admin/factories.py); its id."""
    return lambda ctx: make(*_poti(ctx), *args)


def _council(name: str, path: str, data: dict | Callable = None, make=None):
    """A submission to the clerk's council pages: ``path`` and ``data`` may use ``{id}``, the
    id of an object ``make`` creates in Poti."""
    def submission(ctx):
        ident = make(ctx) if make else None
        values = data(ctx, ident) if callable(data) else dict(data or {})
        return "/poti/admin/sessions" + path.format(id=ident), values
    return name, submission


_SESSION = {"title": "სხდომა", "kind": "regular", "status": "scheduled", "starts_at": "2025-05-01T10:00"}
COUNCIL = dict([
    _council("new_session", "/new", lambda ctx, _: {
        **_SESSION, "body_id": str(council.make_body(*_poti(ctx)))}),
    _council("edit_session", "/{id}", lambda ctx, ident: {
        **_SESSION, "body_id": str(council.make_body(*_poti(ctx))), "title": "შეცვლილი"},
        _made(council.make_session)),
    _council("delete_session", "/{id}/delete", {}, _made(council.make_session)),
    _council("add_agenda_item", "/{id}/agenda", {"agenda-title": "ახალი საკითხი", "agenda-start": "1:05"},
             _made(council.make_session)),
    _council("agenda_item", "/agenda/{id}", lambda ctx, ident: {f"item{ident}-title": "შეცვლილი"},
             _made(council.make_item)),
    _council("move_agenda_item", "/agenda/{id}/move", {"direction": "up"}, _made(council.make_item)),
    _council("delete_agenda_item", "/agenda/{id}/delete", {}, _made(council.make_item)),
    _council("upload_document", "/{id}/documents",
             lambda ctx, _: {"document-kind": "minutes", "document-file": (io.BytesIO(b"ok"), "a.txt")},
             _made(council.make_session)),
    _council("delete_document", "/documents/{id}/delete", {}, _made(council.make_document)),
    _council("attendance", "/{id}/attendance",
             lambda ctx, ident: {f"m{council.seated_member(*_poti(ctx), ident)}": "present"},
             _made(council.make_session, "held")),
    _council("new_body", "/bodies/new", {"slug": "culture", "name_ka": "კულტურა", "kind": "committee"}),
    _council("edit_body", "/bodies/{id}", {"slug": "renamed", "name_ka": "ახალი", "kind": "committee"},
             _made(council.make_body)),
    _council("new_member", "/members/new", {"slug": "ana", "name_ka": "ანა"}),
    _council("edit_member", "/members/{id}", {"slug": "ana", "name_ka": "ანა", "party": "x"},
             _made(council.make_member)),
    _council("add_membership", "/members/{id}/seats",
             lambda ctx, _: {"seat-body_id": str(council.make_body(*_poti(ctx))), "seat-starts_on": "2024-01-01"},
             _made(council.make_member)),
    _council("end_membership", "/seats/{id}/end", {"ends_on": "2025-01-01"}, _made(council.make_membership)),
    _council("delete_membership", "/seats/{id}/delete", {}, _made(council.make_membership)),
])

def _petition(ctx, status: str = "moderation", paper: int = 0) -> int:
    from portal.tenancy import get_directory
    from tests.petitions import admin_factories

    app = ctx["client"].application
    poti = get_directory(app).by_slug("poti")
    pid = admin_factories.make_petition(app, poti, status=status)
    if paper:
        admin_factories.add_paper(app, poti, pid, paper, sample=status == "collecting" and paper == 1)
    return pid


def _published(ctx):
    from portal.tenancy import get_directory
    from tests.petitions import admin_factories

    app = ctx["client"].application
    admin_factories.record_voters(app, get_directory(app).by_slug("poti"))
    return f"/poti/admin/petitions/moderation/{_petition(ctx)}/publish", {}


def _mark(ctx):
    pid = _petition(ctx, "collecting", paper=1)
    from portal.tenancy import get_directory
    from tests.petitions import admin_factories

    app = ctx["client"].application
    [sid] = admin_factories.signature_ids(app, get_directory(app).by_slug("poti"), pid)
    return f"/poti/admin/petitions/{pid}/sample/mark", {"signature_id": str(sid), "validity": "valid"}


PETITIONS = {
    "petitions_admin.publish": _published,
    "petitions_admin.ask_changes": lambda ctx: (
        f"/poti/admin/petitions/moderation/{_petition(ctx)}/changes", {"note": "დააზუსტეთ"}),
    "petitions_admin.reject": lambda ctx: (
        f"/poti/admin/petitions/moderation/{_petition(ctx)}/reject", {"reason": "unclear"}),
    "petitions_admin.voter_count": lambda ctx: (
        "/poti/admin/petitions/voters", {"voters": "20013", "counted_on": "2022-06-21"}),
    "petitions_admin.paper": lambda ctx: (
        f"/poti/admin/petitions/{_petition(ctx, 'collecting')}/paper",
        {"rows": "12345678901, ნინო ბერიძე"}),
    "petitions_admin.sample": lambda ctx: (
        f"/poti/admin/petitions/{_petition(ctx, 'collecting', paper=2)}/sample",
        {"percent": "50", "seed": "7"}),
    "petitions_admin.mark": _mark,
    "petitions_admin.agenda": lambda ctx: (
        f"/poti/admin/petitions/{_petition(ctx, 'submitted')}/agenda", {"session": "12"}),
    "petitions_admin.decision": lambda ctx: (
        f"/poti/admin/petitions/{_petition(ctx, 'submitted')}/decision", {"decision": "მიღებულია"}),
}


SUBMISSIONS = {
    "sessions_admin.match": _match,
    "sessions_admin.segment_edit": _correct,
    "sessions_admin.upload_transcript": _upload,
    "sessions_admin.sync_now": lambda ctx: ("/poti/admin/sessions/sync/run", {}),
    # Answered by the recorded yt-dlp info (tests/recorded/ytdlp), never the network.
    "sessions_admin.import_video": lambda ctx: ("/poti/admin/sessions/sync/import",
                                                {"url": "https://www.youtube.com/watch?v=Pt7Kd2sQx9A"}),
    "admin.settings": _settings,
    "admin.feature_switches": lambda ctx: ("/poti/admin/settings/features", {"on": ["tour"]}),
    "admin.feature_settings": lambda ctx: ("/poti/admin/settings/petitions", {"threshold": "120"}),
    "admin.invite": lambda ctx: ("/poti/admin/staff/invite",
                                 {"email": "someone@example.org", "roles": ["editor"]}),
    "admin.member": lambda ctx: (f"/poti/admin/staff/{ctx['editor'].id}", {"roles": ["moderator"]}),
    "admin.deactivate": lambda ctx: (f"/poti/admin/staff/{ctx['editor'].id}/deactivate", {}),
    "admin.approve_held": lambda ctx: ("/poti/admin/messages/approve", {"every": "1"}),
    "admin.retry_failed": lambda ctx: ("/poti/admin/messages/retry", {"ids": ["1"]}),
    "admin.resend_in_doubt": lambda ctx: ("/poti/admin/messages/resend",
                                          {"ids": ["1"], "confirm": "y"}),
    "platform_admin.retry_job": lambda ctx: (f"/platform/jobs/{_failed_run(ctx)}/retry", {}),
    "platform_admin.add_tenant": lambda ctx: ("/platform/tenants", {"slug": "khobi", "name_ka": "ხობი"}),
    "platform_admin.appoint": lambda ctx: ("/platform/tenants/abasha/admins", {"email": "boss@example.org"}),
    **{f"sessions_admin.{name}": submission for name, submission in COUNCIL.items()},
    **PETITIONS,
}


def mutating_staff_endpoints(app) -> set[str]:
    return {r.endpoint for r in app.url_map.iter_rules() if is_staff_rule(r.rule) and "POST" in r.methods}


def test_every_mutating_staff_route_is_covered(app):
    missing = mutating_staff_endpoints(app) - set(SUBMISSIONS)
    assert not missing, f"add a valid submission to SUBMISSIONS in {__file__} for: {sorted(missing)}"


@pytest.fixture(autouse=True)
def _no_mail(monkeypatch):
    from portal.blueprints.accounts import notifications

    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: None)


@pytest.mark.parametrize("endpoint", sorted(SUBMISSIONS))
def test_each_mutation_writes_an_audit_row(app, staff, poti, endpoint):
    admin = staff(poti, ["admin"], platform=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    signed_in(client, admin)
    ctx = {"app": app, "client": client, "editor": staff(poti, ["editor"])}
    with app.app_context():
        last = db.session.execute(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)).scalar() or 0
    url, data = SUBMISSIONS[endpoint](ctx)
    data.setdefault("csrf_token", csrf_token(client.get("/poti/admin/staff").text))
    response = client.post(url, data=data)
    assert response.status_code == 303, response.text[-1500:]
    with app.app_context():
        entries = db.session.execute(select(AuditEntry).where(AuditEntry.id > last)).scalars().all()
    assert entries, f"{endpoint} wrote no audit entry"
    assert all(e.actor_id == admin.id and e.ip == "203.0.113.9" for e in entries)


def test_an_unaudited_staff_mutation_is_caught(app):
    from flask import Flask

    from portal.web.permissions import _check_audited

    probe = Flask("probe")
    probe.config["TESTING"] = True
    with probe.test_request_context("/x/admin/thing", method="POST"):
        from flask import g

        g.audit_expected = True
        with pytest.raises(AssertionError, match="without an audit row"):
            _check_audited(probe.make_response(("ok", 200)))
