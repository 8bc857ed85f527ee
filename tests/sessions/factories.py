"""The council archive's things for the URL-map walks (see tests/factories.py): the public
pages (blueprint ``sessions``), the clerk's pages (``sessions_admin``) and a valid form for
each of the clerk's POST routes."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime

from tests.factories import factory, submission
from tests.sessions.admin import factories as council
from tests.sessions.admin_recordings.factories import make_recording

_numbers = itertools.count(1)
#: A 1×1 PNG (photos are checked by content: a PNG's chunks must be whole).
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _in_tenant(objects, make):
    from portal.extensions import db
    from portal.tenancy import tenant_context

    with objects.app.app_context(), tenant_context(objects.tenant):
        made = make()
        db.session.commit()
        return made


# The public pages: each object is one the municipality shows (a 200 under its own prefix).

@factory("sessions", "session_id")
def _public_session(objects):
    return council.make_session(objects.app, objects.tenant, status="held")


@factory("sessions", "recording_id")
def _lone_recording(objects):
    """A recording matched to no session (a matched one redirects to its session)."""
    from portal.blueprints.sessions.models import Recording
    from portal.extensions import db

    def make():
        n = next(_numbers)
        recording = Recording(source="facebook", external_id=f"walk-{objects.tenant.slug}-{n}",
                              url="https://www.facebook.com/x/videos/1/", title="ცალკე ვიდეო",
                              published_at=datetime(2023, 5, 5, 8, tzinfo=UTC))
        db.session.add(recording)
        db.session.flush()
        return recording.id
    return _in_tenant(objects, make)


def _public_document(objects):
    from portal.blueprints.sessions.models import Document
    from portal.extensions import db

    def make():
        ident = council.make_document(objects.app, objects.tenant)
        with objects.app.app_context():
            return ident, db.session.get(Document, ident).filename
    return objects.once("public document", lambda: _in_tenant(objects, make))


@factory("sessions", "document_id")
def _document_id(objects):
    return _public_document(objects)[0]


@factory("sessions", "document_filename")
def _document_filename(objects):
    return _public_document(objects)[1]


@factory("sessions", "body_slug")
def _body_slug(objects):
    from portal.blueprints.sessions.council import composition

    n = next(_numbers)
    return _in_tenant(objects, lambda: composition.save_body(
        None, slug=f"walk-body-{n}", name_ka=f"კომისია {n}").slug)


@factory("sessions", "member_slug")
def _member_slug(objects):
    """A member with a photo (the photo's own URL takes the same slug)."""
    from portal.blueprints.sessions.council import composition

    def make():
        n = next(_numbers)
        member = composition.save_member(None, slug=f"walk-member-{n}", name_ka=f"წევრი {n}")
        composition.set_member_photo(member, "photo.png", PNG)
        return member.slug
    return _in_tenant(objects, make)


# The clerk's pages.

def _recording(objects):
    """A recording suggested for a session, with one line of transcript."""
    return objects.once("recording", lambda: make_recording(objects.app, objects.tenant))


@factory("sessions_admin", "session_id")
def _session(objects):
    return council.make_session(objects.app, objects.tenant, status="held")


@factory("sessions_admin", "agenda_item_id")
def _item(objects):
    return council.make_item(objects.app, objects.tenant)


@factory("sessions_admin", "document_id")
def _document(objects):
    return council.make_document(objects.app, objects.tenant)


@factory("sessions_admin", "body_id")
def _body(objects):
    return council.make_body(objects.app, objects.tenant)


@factory("sessions_admin", "member_id")
def _member(objects):
    return council.make_member(objects.app, objects.tenant)


@factory("sessions_admin", "membership_id")
def _membership(objects):
    return council.make_membership(objects.app, objects.tenant)


@factory("sessions_admin", "recording_id")
def _recording_id(objects):
    return _recording(objects).recording


@factory("sessions_admin", "segment_id")
def _segment_id(objects):
    return _recording(objects).segment


# A valid form for each of the clerk's POST routes.

_SESSION = {"title": "სხდომა", "kind": "regular", "status": "scheduled", "starts_at": "2025-05-01T10:00"}


def _fresh(objects, make):
    return str(make(objects.app, objects.tenant))


@submission("sessions_admin.new_session")
def _new_session(objects, client):
    return {**_SESSION, "body_id": _fresh(objects, council.make_body)}


@submission("sessions_admin.edit_session")
def _edit_session(objects, client):
    return {**_SESSION, "body_id": _fresh(objects, council.make_body), "title": "შეცვლილი"}


@submission("sessions_admin.delete_session")
@submission("sessions_admin.delete_agenda_item")
@submission("sessions_admin.delete_document")
@submission("sessions_admin.delete_membership")
@submission("sessions_admin.sync_now")
def _nothing_more(objects, client):
    return {}


@submission("sessions_admin.add_agenda_item")
def _add_agenda_item(objects, client):
    return {"agenda-title": "ახალი საკითხი", "agenda-start": "1:05"}


@submission("sessions_admin.agenda_item")
def _agenda_item(objects, client):
    return {f"item{objects.value('sessions_admin', 'agenda_item_id')}-title": "შეცვლილი"}


@submission("sessions_admin.move_agenda_item")
def _move(objects, client):
    return {"direction": "up"}


@submission("sessions_admin.upload_document")
def _upload_document(objects, client):
    return {"document-kind": "minutes", "document-file": (io.BytesIO(b"ok"), "a.txt")}


@submission("sessions_admin.attendance")
def _attendance(objects, client):
    session_id = int(objects.value("sessions_admin", "session_id"))
    return {f"m{council.seated_member(objects.app, objects.tenant, session_id)}": "present"}


@submission("sessions_admin.new_body")
def _new_body(objects, client):
    return {"slug": "culture", "name_ka": "კულტურა", "kind": "committee"}


@submission("sessions_admin.edit_body")
def _edit_body(objects, client):
    return {"slug": "renamed", "name_ka": "ახალი", "kind": "committee"}


@submission("sessions_admin.new_member")
def _new_member(objects, client):
    return {"slug": "ana", "name_ka": "ანა"}


@submission("sessions_admin.edit_member")
def _edit_member(objects, client):
    return {"slug": "ana", "name_ka": "ანა", "party": "x"}


@submission("sessions_admin.add_membership")
def _add_membership(objects, client):
    return {"seat-body_id": _fresh(objects, council.make_body), "seat-starts_on": "2024-01-01"}


@submission("sessions_admin.end_membership")
def _end_membership(objects, client):
    return {"ends_on": "2025-01-01"}


@submission("sessions_admin.match")
def _match(objects, client):
    return {"session_id": str(_recording(objects).session)}


@submission("sessions_admin.segment_edit")
def _correct(objects, client):
    return {"text": "ვხსნით საკრებულოს სხდომას", "speaker": "ნინო ბერიძე"}


@submission("sessions_admin.upload_transcript")
def _upload_transcript(objects, client):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nახალი სტრიქონი\n".encode()
    return {"file": (io.BytesIO(vtt), "lines.vtt"), "language": "ka", "replace": "y"}


@submission("sessions_admin.import_video")
def _import_video(objects, client):
    # Answered by the recorded yt-dlp info (tests/recorded/ytdlp), never the network.
    return {"url": "https://www.youtube.com/watch?v=Pt7Kd2sQx9A"}


@submission("sessions_admin.confirm_transcript")
def _confirm_transcript(objects, client):
    # The recording's line as the speech-to-text job writes it: marked "machine".
    from sqlalchemy import update

    from portal.blueprints.sessions.models import TranscriptSegment
    from portal.extensions import db
    from portal.tenancy import tenant_context

    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(TranscriptSegment).where(
            TranscriptSegment.recording_id == _recording(objects).recording).values(
            origin="machine"))
        db.session.commit()
    return {}


# Members' activity reports.

def _report(objects, *, published: bool) -> int:
    """A member's 2025 report with a PDF attached, published or a draft."""
    from werkzeug.datastructures import FileStorage

    from portal.blueprints.sessions.council import composition, reports

    def make():
        n = next(_numbers)
        member = composition.save_member(None, slug=f"report-member-{n}", name_ka=f"წევრი {n}")
        report = reports.save_report(member, 2025, text="ანგარიში", upload=FileStorage(
            stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="report.pdf"))
        if published:
            reports.publish(report)
        return report.id
    return _in_tenant(objects, make)


@factory("sessions", "report_year", owned=False)
@factory("sessions_admin", "report_year", owned=False)
def _year(objects):
    return 2025


@factory("sessions", "report_id")
def _public_report(objects):
    return _report(objects, published=True)


@factory("sessions_admin", "report_id")
def _admin_report(objects):
    return _report(objects, published=True)


@submission("sessions_admin.member_report")
def _member_report(objects, client):
    return {"text": "შეხვედრები ამომრჩევლებთან"}


@submission("sessions_admin.publish_report")
@submission("sessions_admin.unpublish_report")
def _switch_report(objects, client):
    return {}
