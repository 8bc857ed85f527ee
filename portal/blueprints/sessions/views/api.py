"""Read-only JSON API of the archive: sessions, recordings, search. Documented in openapi.py.

Times are RFC 3339 in UTC (``2025-03-14T08:00:00Z``). Parameters are checked as documented: a
value out of its range is a 400, and every error under ``/api`` is problem+json
(``portal.web.problems``, installed by the blueprint), never an HTML page.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.sessions import bp
from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.council.services import as_utc
from portal.blueprints.sessions.models import CouncilSession, Recording
from portal.blueprints.sessions.views.openapi import document
from portal.blueprints.sessions.views.search_views import MAX_QUERY, parse_form, run_search
from portal.extensions import db
from portal.tenancy import current_tenant
from portal.web.inputs import int_arg, parse_int
from portal.web.pagination import paginate

#: The integer parameters, with the ranges the OpenAPI document declares (openapi.py).
INT_PARAMS = {"page": (1, 10_000), "year": (1990, 2100), "body": (1, 2**31 - 1),
              "before": (1, 2**62)}


def _iso(value: datetime | None) -> str | None:
    """RFC 3339 in UTC; SQLite hands back naive UTC, PostgreSQL aware datetimes."""
    return as_utc(value).isoformat().replace("+00:00", "Z") if value else None


def _check_args(*names: str) -> None:
    """Refuse (400) a parameter the documentation does not allow, naming it."""
    for name in names:
        raw = request.args.get(name, "")
        if name == "transcript":
            if raw not in ("", "1"):
                abort(400, description=_("The parameter “%(name)s” can only be 1.", name=name))
        elif name == "q":
            if len(raw.strip()) > MAX_QUERY:
                abort(400, description=_("The parameter “%(name)s” is longer than %(n)d "
                                         "characters.", name=name, n=MAX_QUERY))
        elif raw:
            low, high = INT_PARAMS[name]
            if parse_int(raw, minimum=low, maximum=high) is None:
                abort(400, description=_(
                    "The parameter “%(name)s” must be a whole number from %(low)s to %(high)s.",
                    name=name, low=low, high=high))


def _page() -> int:
    _check_args("page")
    return int_arg("page", 1, minimum=1, maximum=INT_PARAMS["page"][1])


def session_json(s, detail: bool = False) -> dict:
    data = {"id": s.id, "title": s.title, "body": {"slug": s.body.slug, "name": s.body.name_ka},
            "kind": s.kind, "status": s.status, "place": s.place,
            "starts_at": _iso(s.starts_at), "ends_at": _iso(s.ends_at),
            "url": url_for("sessions.show", session_id=s.id, _external=True),
            "recording_ids": [r.id for r in s.recordings]}
    if detail:
        data["description"] = s.description
        data["agenda"] = [{"position": i.position, "title": i.title,
                           "reporter": i.reporter.name_ka if i.reporter else None}
                          for i in s.agenda_items]
        data["documents"] = [{"id": d.id, "kind": d.kind, "title": d.title,
                              "url": url_for("sessions.document", document_id=d.id,
                                             document_filename=d.filename, _external=True)}
                             for d in s.documents]
    return data


def recording_json(r) -> dict:
    return {"id": r.id, "source": r.source, "external_id": r.external_id, "url": r.url,
            "title": r.title, "published_at": _iso(r.published_at),
            "duration_seconds": r.duration_seconds, "live_status": r.live_status,
            "session_id": r.session_id, "match_confidence": r.match_confidence,
            "is_match_confirmed": r.is_match_confirmed, "has_transcript": r.has_transcript,
            "chapters": r.chapters}


@bp.get("/api/sessions")
def api_sessions():
    page = _page()
    past = queries.past_page(page)
    return jsonify(upcoming=[session_json(s) for s in queries.upcoming()] if page == 1 else [],
                   past=[session_json(s) for s in past], page=page,
                   next_page=past.next_number if past.has_next else None)


@bp.get("/api/sessions/<int:session_id>")
def api_session(session_id: int):
    session = queries.session_detail(session_id)
    if session is None:
        abort(404)
    return jsonify(session_json(session, detail=True))


@bp.get("/api/recordings")
def api_recordings():
    page = _page()
    rows = paginate(
        select(Recording).order_by(Recording.published_at.desc().nulls_last(), Recording.id),
        page, queries.PER_PAGE, count=False)
    return jsonify(recordings=[recording_json(r) for r in rows], page=page,
                   next_page=rows.next_number if rows.has_next else None)


@bp.get("/api/search")
def api_search():
    _check_args("q", "year", "body", "transcript", "before")
    form = parse_form()
    page = run_search(form, (current_tenant.id,))
    session_ids = {g.session_id for g in page.groups if g.session_id}
    sessions = {s.id: s for s in db.session.scalars(
        select(CouncilSession).where(CouncilSession.id.in_(session_ids)).options(
            selectinload(CouncilSession.body), selectinload(CouncilSession.recordings)))
    } if session_ids else {}
    groups = []
    for group in page.groups:
        session = sessions.get(group.session_id)
        groups.append({
            "session": session_json(session) if session else None,
            "recording_id": group.recording_id,
            "hits": [{"kind": h.kind, "recording_id": h.recording_id, "start_s": h.start_s,
                      "speaker": h.speaker, "text": "".join(p for p, _ in h.pieces),
                      "matches": [p for p, m in h.pieces if m]} for h in group.hits],
        })
    return jsonify(query=form.q, terms=page.terms, corrected=page.corrected, groups=groups,
                   next_cursor=page.next_cursor)


@bp.get("/api/openapi.json")
def api_openapi():
    return jsonify(document(request.url_root.rstrip("/") + url_for("sessions.index")))

