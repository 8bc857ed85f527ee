"""The clerk's recordings: the match review list, one recording's transcript (lines corrected
inline with htmx or on their own page without JavaScript) and transcript file uploads."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin.recording_forms import (
    MAX_TRANSCRIPT_BYTES,
    ConfirmForm,
    MatchForm,
    SegmentForm,
    TranscriptUploadForm,
    unique_ids,
)
from portal.blueprints.sessions.council.services import ArchiveError
from portal.blueprints.sessions.recordings import machine, review
from portal.blueprints.sessions.recordings import recordings as recording_verbs
from portal.blueprints.sessions.recordings.player import clock
from portal.extensions import db
from portal.i18n import local_name
from portal.services import audit
from portal.web.htmx import is_fragment_request
from portal.web.inputs import parse_int
from portal.web.pagination import page_arg
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to

LIST = "sessions/admin/recordings.html"
DETAIL = "sessions/admin/recording.html"
SEGMENT_PAGE = "sessions/admin/recording_segment.html"


def _list_state(source) -> tuple[bool, int]:
    return source.get("show") == "all", page_arg(source=source)


def _recording_or_404(recording_id: int):
    found = review.recording_or_none(recording_id)
    if found is None:
        abort(404)
    return found


def _match_form(rec, nearby, form=None, found=()):
    form = form or MatchForm(data={"session_id": str(rec.session_id or "")})
    known = {s.id for s in nearby}
    form.set_choices([*nearby, *(s for s in found if s.id not in known)], local_name)
    return unique_ids(form, rec.id)


def _list_page(show_all: bool, page: int, failed=None, status: int = 200):
    """The review list; ``failed`` is (recording id, form) of a refused submission."""
    listing = review.recordings_page(page, show_all)
    recordings = list(listing.items)
    if failed and failed[0] not in {r.id for r in recordings}:
        recordings.insert(0, _recording_or_404(failed[0]))
    nearby = review.nearby_sessions(recordings)
    forms = {r.id: _match_form(r, nearby[r.id]) for r in recordings}
    if failed:
        forms[failed[0]] = failed[1]
    return render(LIST, status=status, recordings=recordings, forms=forms, show_all=show_all,
                  page=page, listing=listing, unconfirmed=review.count_unconfirmed())


@bp.get("/recordings")
@requires("sessions.edit")
def recordings():
    show_all, page = _list_state(request.args)
    return _list_page(show_all, page)


def _chosen_session(form: MatchForm, found: list):
    """(ok, session or None) from the form; on a problem, the field says what is wrong."""
    other = (form.other.data or "").strip()
    if other:
        matches = review.find_sessions(other)
        if len(matches) == 1:
            return True, matches[0]
        found.extend(matches[:review.MAX_FOUND])
        form.other.errors.append(
            _("No session matches “%(text)s”.", text=other) if not matches
            else _("Several sessions match “%(text)s”: choose one in the list.", text=other))
        return False, None
    value = form.session_id.data or ""
    if value == "none":
        return True, None
    number = parse_int(value, minimum=1)
    session = review.session_or_none(number) if number is not None else None
    if session is None:
        form.session_id.errors.append(_("Choose a session in the list, or “No session”."))
        return False, None
    return True, session


@bp.post("/recordings/<int:recording_id>/match")
@requires("sessions.edit")
def match(recording_id: int):
    """Confirm the suggested session, choose another one, or say the recording has none."""
    rec = _recording_or_404(recording_id)
    show_all, page = _list_state(request.form)
    form, found = MatchForm(), []
    ok, session = _chosen_session(form, found) if form.validate_on_submit() else (False, None)
    if ok:
        before = {"session_id": rec.session_id, "confirmed": rec.is_match_confirmed,
                  "confidence": rec.match_confidence}
        recording_verbs.confirm_match(rec, session)
        audit.record("recording.match", target=f"recording:{rec.id}", before=before,
                     after={"session_id": rec.session_id, "confirmed": True})
        message = (_("“%(recording)s” is linked to “%(session)s”.", recording=rec.title,
                     session=session.title) if session else
                   _("“%(recording)s” is marked as not a council sitting.", recording=rec.title))

        def row():
            saved_rec = _recording_or_404(recording_id)
            nearby = review.nearby_sessions([saved_rec])[saved_rec.id]
            return render(LIST, block="row", rec=saved_rec, form=_match_form(saved_rec, nearby),
                          message=message, show_all=show_all, page=page)

        return saved(message, url_for("sessions_admin.recordings", show="all" if show_all else None,
                                      page=page if page > 1 else None), fragment=row)
    nearby = review.nearby_sessions([rec])[rec.id]
    form = _match_form(rec, nearby, form, found)
    if is_fragment_request():
        return render(LIST, block="row", status=422, rec=rec, form=form, show_all=show_all,
                      page=page)
    return _list_page(show_all, page, failed=(rec.id, form), status=422)


def _detail(rec, page: int, upload=None, status: int = 200, problem=None):
    return render(DETAIL, status=status, recording=rec, problem=problem, segments=review.segments_page(rec, page),
                  total=review.count_segments(rec), machine_lines=machine.machine_lines(rec),
                  transcription=machine.transcription_of(rec),
                  upload=upload or TranscriptUploadForm(), max_mb=MAX_TRANSCRIPT_BYTES // 2**20)


@bp.get("/recordings/<int:recording_id>")
@requires("sessions.edit")
def recording(recording_id: int):
    return _detail(_recording_or_404(recording_id), page_arg())


@bp.post("/recordings/<int:recording_id>/transcript/confirm")
@requires("sessions.edit")
def confirm_transcript(recording_id: int):
    """The clerk read the machine transcript: its lines lose the "may contain errors" mark."""
    rec = _recording_or_404(recording_id)
    if not ConfirmForm().validate_on_submit():
        return _detail(rec, 1, status=422)
    back = url_for("sessions_admin.recording", recording_id=rec.id)
    try:
        lines = machine.confirm(rec)
    except ArchiveError as refused:
        db.session.rollback()
        return _detail(_recording_or_404(recording_id), 1, status=422, problem=refused.message)
    audit.record("transcript.confirm", target=f"recording:{rec.id}",
                 before={"machine_lines": lines}, after={"machine_lines": 0})
    return saved(ngettext("The machine transcript is confirmed: %(num)d line.",
                          "The machine transcript is confirmed: %(num)d lines.", lines), back)


def _segment_or_404(recording_id: int, segment_id: int):
    rec = _recording_or_404(recording_id)
    seg = review.segment_or_none(rec.id, segment_id)
    if seg is None:
        abort(404)
    return rec, seg


def _segment_url(seg) -> str:
    return url_for("sessions_admin.recording", recording_id=seg.recording_id,
                   page=review.page_of_segment(seg), _anchor=f"seg-{seg.id}")


@bp.get("/recordings/<int:recording_id>/segments/<int:segment_id>")
@requires("sessions.edit")
def segment(recording_id: int, segment_id: int):
    """One transcript line: for htmx the line itself (cancelling an edit); else its page."""
    rec, seg = _segment_or_404(recording_id, segment_id)
    if not is_fragment_request():
        return redirect(_segment_url(seg), code=303)
    return render(DETAIL, block="segment", recording=rec, seg=seg)


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@requires("sessions.edit")
def segment_edit(recording_id: int, segment_id: int):
    """Correct one line's text and speaker: htmx swaps the line; without JavaScript this is a
    page of its own and saving returns to the transcript (303)."""
    rec, seg = _segment_or_404(recording_id, segment_id)
    form = unique_ids(SegmentForm(obj=seg) if request.method == "GET" else SegmentForm(), seg.id)
    form.text.render_kw = {"autofocus": True, "rows": 3}  # htmx focuses it once swapped in
    if form.validate_on_submit():
        before = {"text": seg.text, "speaker": seg.speaker}
        with refusals_onto(form):
            recording_verbs.correct_segment(seg, form.text.data, form.speaker.data or "")
            changed_before, changed_after = audit.changes(
                before, {"text": seg.text, "speaker": seg.speaker})
            audit.record("transcript.correct", target=f"segment:{seg.id}",
                         before={"recording_id": rec.id, **changed_before},
                         after={"recording_id": rec.id, **changed_after})
            return saved(_("The line at %(at)s is saved.", at=clock(seg.start_seconds)),
                         _segment_url(seg),
                         fragment=lambda: render(DETAIL, block="segment", recording=rec, seg=seg,
                                                 saved=True))
        rec, seg = _segment_or_404(recording_id, segment_id)  # rolled back: load them again
    status = 422 if request.method == "POST" else 200
    return render(SEGMENT_PAGE, block="segment_form", status=status, recording=rec, seg=seg,
                  form=form, back=_segment_url(seg))


@bp.post("/recordings/<int:recording_id>/transcript")
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.recording", limit=MAX_TRANSCRIPT_BYTES)
def upload_transcript(recording_id: int):
    """A WebVTT or SRT file replaces the transcript (a confirmation when one exists)."""
    rec = _recording_or_404(recording_id)
    form = TranscriptUploadForm()
    if form.validate_on_submit():
        if rec.has_transcript and not form.replace.data:
            form.replace.errors.append(
                _("This recording already has a transcript: tick the box to replace it."))
        else:
            before = {"segments": review.count_segments(rec), "has_transcript": rec.has_transcript}
            upload = form.file.data
            with refusals_onto(form):
                count = recording_verbs.upload_transcript(
                    rec, upload.read(MAX_TRANSCRIPT_BYTES + 1), form.language.data,
                    upload.filename or "")
                audit.record("transcript.upload", target=f"recording:{rec.id}", before=before,
                             after={"segments": count, "language": form.language.data,
                                    "filename": (upload.filename or "")[:200]})
                return saved(ngettext("Transcript uploaded: %(num)d line.",
                                      "Transcript uploaded: %(num)d lines.", count),
                             url_for("sessions_admin.recording", recording_id=rec.id))
        db.session.rollback()
        rec = _recording_or_404(recording_id)
    return _detail(rec, 1, upload=form, status=422)
