"""One recording's transcript for the clerk: pages of lines, a line corrected inline (htmx) or on
its own page (no JavaScript), and subtitle files uploaded in place of the transcript."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from portal.blueprints.sessions.models import Recording, TranscriptSegment
from portal.blueprints.sessions.recordings import recordings, review
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db
from portal.services.audit import AuditEntry
from tests.helpers import HTMX, csrf_token
from tests.sessions.admin_recordings.conftest import read

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v ნინო ბერიძე>სხდომა გაიხსნა\n\n"
       "00:00:05.000 --> 00:00:09.500\nდღის წესრიგის პირველი საკითხი\n").encode()
SRT = "1\n00:00:01,000 --> 00:00:03,000\nმოსახლეობის შეხვედრა\n".encode()


def _url(rec_id, tail=""):
    return f"/poti/admin/sessions/recordings/{rec_id}{tail}"


def _segments(app, poti, rec_id):
    return read(app, poti, lambda: [(s.text, s.speaker, s.origin, s.language) for s in db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.recording_id == rec_id)
        .order_by(TranscriptSegment.start_seconds))])


def _audits(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_recording_page_shows_its_lines_in_pages(app, as_clerk, data, poti):
    rec_id = data["poti"].recording
    html = as_clerk.get(_url(rec_id)).text
    assert "ვხსნით საკრებულოს სხდომას" in html and "ნინო ბერიძე" in html
    assert f'id="seg-{data["poti"].segments[1]}"' in html and "3:10" in html
    assert "85%" in html and "საკრებულოს სხდომა მალთაყვა" in html
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            rec = db.session.scalar(select(Recording).where(Recording.id == rec_id))
            recordings.replace_transcript(rec, [Cue(i, i + 1, f"სტრიქონი {i}")
                                                for i in range(review.SEGMENTS_PER_PAGE + 5)])
            db.session.commit()
    first = as_clerk.get(_url(rec_id)).text
    assert first.count('<li id="seg-') == review.SEGMENTS_PER_PAGE and 'rel="next"' in first
    second = as_clerk.get(_url(rec_id, "?page=2")).text
    assert second.count('<li id="seg-') == 5 and "სტრიქონი 104" in second


def test_foreign_and_unknown_ids_are_404(as_clerk, data):
    poti, abasha = data["poti"], data["abasha"]
    assert as_clerk.get(_url(abasha.recording)).status_code == 404
    assert as_clerk.get(_url(99999)).status_code == 404
    # A line of another recording, even of this municipality, is not found under this one.
    lone_line = _url(poti.lone, f"/segments/{poti.segments[0]}/edit")
    assert as_clerk.get(lone_line).status_code == 404
    assert as_clerk.get(_url(poti.recording, f"/segments/{abasha.segments[0]}/edit")).status_code == 404


def test_edit_form_is_a_fragment_for_htmx_and_a_page_without(as_clerk, data):
    poti = data["poti"]
    url = _url(poti.recording, f"/segments/{poti.segments[0]}/edit")
    fragment = as_clerk.get(url, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith(f'<li id="seg-{poti.segments[0]}"')
    assert "ვხსნით საკრებულოს სხდომას</textarea>" in fragment.text and "autofocus" in fragment.text
    page = as_clerk.get(url)
    assert "<html" in page.text and "<h1>" in page.text and "Vary" in page.headers
    # Cancelling: the line again for htmx; its place in the transcript without JavaScript.
    line = as_clerk.get(_url(poti.recording, f"/segments/{poti.segments[0]}"), headers=HTMX)
    assert line.text.lstrip().startswith(f'<li id="seg-{poti.segments[0]}"') and "<form" not in line.text
    back = as_clerk.get(_url(poti.recording, f"/segments/{poti.segments[0]}"))
    assert back.status_code == 303
    assert back.headers["Location"].endswith(f"{poti.recording}?page=1#seg-{poti.segments[0]}")


def test_correct_a_line_inline(app, as_clerk, clerk, client, data, poti):
    ids = data["poti"]
    url = _url(ids.recording, f"/segments/{ids.segments[1]}/edit")
    token = csrf_token(as_clerk.get(url).text)
    response = as_clerk.post(url, headers=HTMX, data={
        "csrf_token": token, "text": "  კანალიზაციის   სამუშაოები მალთაყვაში  დაიწყება ",
        "speaker": "ნინო ბერიძე"})
    assert response.status_code == 200 and "<html" not in response.text
    assert "კანალიზაციის სამუშაოები მალთაყვაში დაიწყება" in response.text
    assert 'role="status"' in response.text and "<form" not in response.text
    assert _segments(app, poti, ids.recording)[1] == (
        "კანალიზაციის სამუშაოები მალთაყვაში დაიწყება", "ნინო ბერიძე", "corrected", "ka")
    [entry] = _audits(app, "transcript.correct")
    assert entry.actor_id == clerk.id and entry.target == f"segment:{ids.segments[1]}"
    assert entry.before == {"recording_id": ids.recording,
                            "text": "წყალარინების სამუშაოები მალთაყვა უბანში დაიწყება"}
    assert entry.after == {"recording_id": ids.recording,
                           "text": "კანალიზაციის სამუშაოები მალთაყვაში დაიწყება"}
    # The public session page and the search show the correction at once.
    assert "კანალიზაციის სამუშაოები" in client.get(f"/poti/sessions/{ids.session}").text
    found = client.get("/poti/sessions/search?q=კანალიზაციის").text
    assert "<mark>კანალიზაციის</mark>" in found
    assert "<mark>წყალარინების" not in client.get("/poti/sessions/search?q=წყალარინების").text


def test_correct_a_line_without_javascript(app, as_clerk, data, poti):
    ids = data["poti"]
    url = _url(ids.recording, f"/segments/{ids.segments[0]}/edit")
    response = as_clerk.post(url, data={"csrf_token": csrf_token(as_clerk.get(url).text),
                                        "text": "ვხსნით სხდომას", "speaker": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"?page=1#seg-{ids.segments[0]}")
    assert _segments(app, poti, ids.recording)[0][:2] == ("ვხსნით სხდომას", "")
    page = as_clerk.get(response.headers["Location"]).text
    assert "0:10" in page and 'class="flash' in page and 'class="badge"' in page


def test_an_empty_line_is_refused_and_nothing_changes(app, as_clerk, data, poti):
    ids = data["poti"]
    url = _url(ids.recording, f"/segments/{ids.segments[0]}/edit")
    before = _segments(app, poti, ids.recording)
    token = csrf_token(as_clerk.get(url).text)
    for headers in (HTMX, {}):
        response = as_clerk.post(url, headers=headers, data={"csrf_token": token, "text": "   "})
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.text and "ცარიელი" in response.text
    too_long = as_clerk.post(url, data={"csrf_token": token, "text": "ა" * 5001})
    assert too_long.status_code == 422
    assert _segments(app, poti, ids.recording) == before
    assert _audits(app, "transcript.correct") == []


def _upload(client, rec_id, content, name="lines.vtt", **fields):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    token = csrf_token(client.get(_url(rec_id)).text)
    # Encoded here, in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(io.BytesIO(content), name),
                                       "language": "ka", **fields})
    return client.post(_url(rec_id, "/transcript"), data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _bare_recording(app, poti) -> int:
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            rec = Recording(source="facebook", external_id="bare", title="უსიტყვო ვიდეო")
            db.session.add(rec)
            db.session.commit()
            return rec.id


def test_upload_a_webvtt_file(app, as_clerk, client, data, poti):
    rec_id = _bare_recording(app, poti)
    assert "შეცვლა" not in as_clerk.get(_url(rec_id)).text.split("upload-title")[1].split("</form>")[0]
    response = _upload(as_clerk, rec_id, VTT, language="en")
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(rec_id))
    assert _segments(app, poti, rec_id) == [("სხდომა გაიხსნა", "ნინო ბერიძე", "upload", "en"),
                                            ("დღის წესრიგის პირველი საკითხი", "", "upload", "en")]
    assert read(app, poti, lambda: db.session.scalar(
        select(Recording.has_transcript).where(Recording.id == rec_id)))
    [entry] = _audits(app, "transcript.upload")
    assert entry.before == {"segments": 0, "has_transcript": False}
    assert entry.after == {"segments": 2, "language": "en", "filename": "lines.vtt"}
    assert "2 სტრიქონი" in as_clerk.get(_url(rec_id)).text
    assert "დღის წესრიგის პირველი" in client.get(f"/poti/sessions/recordings/{rec_id}").text


def test_replacing_a_transcript_needs_the_confirmation(app, as_clerk, data, poti):
    rec_id = data["poti"].recording
    page = as_clerk.get(_url(rec_id)).text
    assert 'class="warning"' in page and 'name="replace"' in page
    before = _segments(app, poti, rec_id)
    refused = _upload(as_clerk, rec_id, SRT, name="lines.srt")
    assert refused.status_code == 422 and 'id="replace-error"' in refused.text
    assert _segments(app, poti, rec_id) == before
    accepted = _upload(as_clerk, rec_id, SRT, name="lines.srt", replace="y")
    assert accepted.status_code == 303
    assert _segments(app, poti, rec_id) == [("მოსახლეობის შეხვედრა", "", "upload", "ka")]


def test_bad_files_are_refused_with_a_message_and_nothing_changes(app, as_clerk, data, poti):
    from portal.blueprints.sessions.admin.recording_forms import MAX_TRANSCRIPT_BYTES

    rec_id = data["poti"].recording
    before = _segments(app, poti, rec_id)
    cases = [
        (b"\x89PNG\r\n\x1a\n not subtitles", "picture.vtt", "UTF-8"),
        (b"WEBVTT\n\nno cues here\n", "empty.vtt", "სუბტიტრები ვერ მოიძებნა"),
        (b"\xff\xfe\x00broken", "broken.srt", "UTF-8"),
        # The W3C parser's refusals, each in words, with the line where the file goes wrong.
        (VTT.replace(b"WEBVTT", b""), "lines.vtt", "WEBVTT უნდა იწყებოდეს"),
        (VTT.replace(b"00:00:05.000", b"00:00:5.000"), "lines.vtt", "სტრიქონი 6: სუბტიტრის დრო"),
        (VTT.replace(b"00:00:09.500", b"00:00:04.500"), "lines.vtt",
         "სტრიქონი 6: სუბტიტრი დაწყებამდე"),
        (SRT.replace(b",000 -->", b" -->"), "lines.srt", "სტრიქონი 2: სუბტიტრის დრო"),
        (b"WEBVTT\n\n" + b"a" * MAX_TRANSCRIPT_BYTES, "huge.vtt", "2 მბ-ზე დიდია"),
    ]
    for content, name, words in cases:
        response = _upload(as_clerk, rec_id, content, name=name, replace="y")
        assert response.status_code == 422, name
        assert 'id="file-error"' in response.text and words in response.text, name
    assert _upload(as_clerk, rec_id, VTT, replace="y", language="xx").status_code == 422
    token = csrf_token(as_clerk.get(_url(rec_id)).text)
    missing = as_clerk.post(_url(rec_id, "/transcript"), data={"csrf_token": token, "replace": "y"})
    assert missing.status_code == 422 and 'id="file-error"' in missing.text
    assert _segments(app, poti, rec_id) == before
    assert _audits(app, "transcript.upload") == []
    with app.app_context():
        from portal.tenancy import tenant_context

        with tenant_context(poti):
            assert db.session.scalar(select(func.count(TranscriptSegment.id))) == 3
