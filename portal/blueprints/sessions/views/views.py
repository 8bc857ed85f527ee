"""Public pages of the council archive: sessions, a session with its player, bodies, members."""

from __future__ import annotations

from flask import abort, request

from portal.blueprints.sessions import bp, links
from portal.blueprints.sessions.council import queries, year_figures
from portal.blueprints.sessions.council.composition import photo_type
from portal.blueprints.sessions.models import Document, Recording
from portal.blueprints.sessions.recordings import player
from portal.extensions import get_or_404
from portal.services import storage
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg
from portal.web.rendering import render

#: The public lists' last page number (as the JSON API documents it).
MAX_PUBLIC_PAGE = 10_000

@bp.get("/")
def index():
    past = queries.past_page(page_arg(maximum=MAX_PUBLIC_PAGE))
    return render("sessions/index.html", block="past", upcoming=queries.upcoming(with_live=False),
                  past=past, live=queries.live_recordings())


@bp.get("/<int:session_id>")
def show(session_id: int):
    session = queries.session_detail(session_id)
    if session is None:
        abort(404)
    recordings = sorted(session.recordings, key=lambda r: (r.live_status != "live", r.id))
    chosen_id = int_arg("recording", clamp=False)
    recording = next((r for r in recordings if r.id == chosen_id),
                     recordings[0] if recordings else None)
    start = int_arg("t", 0, maximum=24 * 3600)
    segments = queries.transcript(recording.id) if recording else []
    return render("sessions/show.html", session=session, recordings=recordings,
                  recording=recording, start=start, segments=segments,
                  embed=player.embed_url(recording, start) if recording else "",
                  back_links=links.back_links(links.summary_of(session)))


@bp.get("/recordings/<int:recording_id>")
def recording(recording_id: int):
    """A recording matched to no session (still searchable and playable)."""
    rec = get_or_404(Recording, recording_id)
    if rec.session_id:
        from flask import redirect, url_for

        return redirect(url_for("sessions.show", session_id=rec.session_id,
                                recording=rec.id, t=request.args.get("t")), code=302)
    start = int_arg("t", 0, maximum=24 * 3600)
    return render("sessions/recording.html", recording=rec, start=start,
                  segments=queries.transcript(rec.id), embed=player.embed_url(rec, start))


@bp.get("/documents/<int:document_id>/<path:document_filename>")
def document(document_id: int, document_filename: str):
    doc = get_or_404(Document, document_id)
    if not storage.exists(doc.storage_path):
        abort(404)
    response = storage.send(doc.storage_path, mimetype=doc.content_type,
                            download_name=doc.filename,
                            as_attachment=doc.content_type not in ("application/pdf", "text/plain"))
    if doc.content_type != "application/pdf":
        # A clerk's HTML or text file never runs as a page of the portal (as uploads.download).
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/bodies/")
def bodies():
    return render("sessions/bodies.html", bodies=queries.bodies())


@bp.get("/bodies/<body_slug>")
def body(body_slug: str):
    found = queries.body_by_slug(body_slug)
    if found is None:
        abort(404)
    past = queries.past_page(page_arg(maximum=MAX_PUBLIC_PAGE), body_id=found.id)
    members = [m for m in queries.members()
               if any(ms.body_id == found.id for ms in m.memberships)]
    return render("sessions/body.html", block="past", body=found, members=members,
                  upcoming=queries.upcoming(found.id), past=past)


@bp.get("/members/")
def members():
    return render("sessions/members.html", members=queries.members())


@bp.get("/members/<member_slug>/photo")
def member_photo(member_slug: str):
    found = queries.member_by_slug(member_slug)
    if found is None or not found.photo_path:
        abort(404)
    if not storage.exists(found.photo_path):
        abort(404)
    return storage.send(found.photo_path, mimetype=photo_type(found.photo_path), max_age=3600)


@bp.get("/members/<member_slug>")
def member(member_slug: str):
    found = queries.member_by_slug(member_slug)
    if found is None:
        abort(404)
    return render("sessions/member.html", member=found, **queries.member_activity(found),
                  report_years=year_figures.member_years(found, queries.years()))
