"""Petitions as open data: Atom feeds (newly opened for signing; steps such as submission and
decision), the JSON API described in ``petitions/openapi.py``, and a CSV of petitions with
their counts. Counts only: signatures are read only as grouped counts (per unit of the
municipality's list, per day, the verification sample's marks), never a row, so no signer's
name, personal number, e-mail or typed text can appear. Errors under ``/api`` are
problem+json (installed by the blueprint)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Response, abort, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.blueprints.petitions import bp, queries, sakrebulo, support, verification
from portal.blueprints.petitions.lifecycle import STATUS_LABELS
from portal.blueprints.petitions.openapi import MAX_PAGE, MAX_QUERY, PER_PAGE, document
from portal.db import aware, utcnow
from portal.extensions import db
from portal.i18n import localized_plain
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.inputs import parse_int
from portal.web.pagination import paginate
from portal.web.rendering import render

#: Feeds, API and export lag the counting job's minute anyway.
OPEN_DATA_CACHE = "public, max-age=300"
ATOM = "application/atom+xml"


def _iso(value: datetime | None) -> str | None:
    return aware(value).isoformat().replace("+00:00", "Z") if value else None


def _cached(response: Response) -> Response:
    response.headers["Cache-Control"] = OPEN_DATA_CACHE
    return response


def _petition_url(petition) -> str:
    """From the configured domains, not the request's Host header (the answers are cached)."""
    return message_url("petitions.show", petition_id=petition.id)


# Feeds ----------------------------------------------------------------------------------------

def _feed(title: str, self_endpoint: str, entries: list[dict]) -> Response:
    feed = FeedGenerator()
    self_url = message_url(self_endpoint)
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": localized_plain(current_tenant.config.short_name)})
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.link(href=message_url("petitions.index"), rel="alternate", type="text/html")
    feed.language(str(get_locale() or current_tenant.config.default_locale))
    feed.updated(max((e["updated"] for e in entries), default=utcnow()))
    for values in reversed(entries):  # feedgen prepends; the newest ends up first
        entry = feed.add_entry()
        entry.id(values["id"])
        entry.title(values["title"])
        entry.link(href=values["link"], rel="alternate", type="text/html")
        entry.updated(values["updated"])
        entry.summary(values["summary"])
    response = _cached(Response(feed.atom_str(pretty=True), mimetype=ATOM))
    # The feed's words are in the visitor's language (a cookie, else the browser's).
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _place() -> str:
    return localized_plain(current_tenant.config.short_name)


@bp.get("/opened.atom")
def feed_opened():
    entries = []
    for petition in queries.newly_opened():
        progress = queries.progress(petition)
        entries.append({
            "id": f"{_petition_url(petition)}#opened",
            "title": petition.title, "link": _petition_url(petition),
            "updated": aware(petition.collection_opens_at),
            "summary": _("%(status)s: %(count)d of %(threshold)s signatures.",
                         status=STATUS_LABELS.get(petition.status, petition.status),
                         count=progress.count, threshold=progress.threshold or "—")})
    return _feed(_("New petitions: %(place)s", place=_place()), "petitions.feed_opened", entries)


@bp.get("/changes.atom")
def feed_changes():
    entries = []
    for event in queries.status_changes():
        petition = event.petition
        label = str(STATUS_LABELS.get(event.kind, event.kind))
        note = localized_plain(event.note) if event.note else ""
        entries.append({
            "id": f"{_petition_url(petition)}#event-{event.id}",
            "title": f"{label}: {petition.title}", "link": _petition_url(petition),
            "updated": aware(event.occurred_at),
            "summary": f"{label}. {note}".strip() if note else label})
    return _feed(_("Petitions' decisions and status changes: %(place)s", place=_place()),
                 "petitions.feed_changes", entries)


# JSON API -------------------------------------------------------------------------------------

def petition_json(petition, detail: bool = False) -> dict:
    data = {"id": petition.id, "title": petition.title, "form": petition.form,
            "status": petition.status, "rejection_reason": petition.rejection_reason,
            "collection_opens_at": _iso(petition.collection_opens_at),
            "collection_closes_at": _iso(petition.collection_closes_at),
            "closed_at": _iso(petition.closed_at), "threshold": petition.threshold,
            "signature_count": petition.signature_count or 0, "url": _petition_url(petition)}
    if detail:
        data["text"] = petition.text
        data["requested_action"] = petition.requested_action
        data["timeline"] = [
            {"step": e.kind, "occurred_at": _iso(e.occurred_at),
             "note": localized_plain(e.note) if e.note else ""}
            for e in queries.public_events(petition)]
        data["support_by_unit"] = [
            {"kind": row.kind, "signatures": row.count,
             "unit": {"ka": row.unit.ka, "en": row.unit.en or row.unit.ka} if row.unit else None}
            for row in support.by_unit(petition)]
        data["signatures_by_day"] = [{"date": d.day.isoformat(), "signatures": d.count,
                                      "total": d.total} for d in support.by_day(petition)]
        data["verification"] = verification_json(verification.result(petition))
        data.update(_sakrebulo_json(petition))
    return data


def _sakrebulo_json(petition) -> dict:
    """The decision and the archive's session with the moment it was discussed at."""
    found = sakrebulo.at_sakrebulo(petition, external=True)
    linked = found.session if found else None
    session = None
    if linked is not None:
        session = {"title": linked.session.title, "starts_at": _iso(linked.session.starts_at),
                   "url": linked.url, "moment_url": linked.moment_url,
                   "moment_seconds": linked.seconds}
    return {"decision_text": found.decision_text if found else "", "session": session}


def verification_json(estimate) -> dict | None:
    """The published result of the clerk's sample (``stats.SampleEstimate``), or None."""
    if estimate is None:
        return None
    return {"population": estimate.population, "sample": estimate.sample,
            "invalid": estimate.invalid, "count_after_verification": estimate.after_verification,
            "estimated_valid": estimate.estimated_valid, "valid_low": estimate.valid_low,
            "valid_high": estimate.valid_high, "confidence": 0.95,
            "threshold": estimate.threshold, "threshold_reached": estimate.verdict}


def _status_arg() -> str | None:
    status = request.args.get("status", "")
    if status and status not in queries.PUBLIC_STATUSES:
        abort(400, description=_("The parameter “%(name)s” must be one of: %(values)s.",
                                 name="status", values=", ".join(sorted(queries.PUBLIC_STATUSES))))
    return status or None


def _q_arg() -> str:
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        abort(400, description=_("The parameter “%(name)s” is longer than %(n)d characters.",
                                 name="q", n=MAX_QUERY))
    return q


def _page_arg() -> int:
    raw = request.args.get("page", "")
    if not raw:
        return 1
    page = parse_int(raw, minimum=1, maximum=MAX_PAGE)
    if page is None:
        abort(400, description=_(
            "The parameter “%(name)s” must be a whole number from %(low)s to %(high)s.",
            name="page", low=1, high=MAX_PAGE))
    return page


@bp.get("/api/petitions")
def api_petitions():
    status, q, number = _status_arg(), _q_arg(), _page_arg()
    page = paginate(queries.api_statement(status, q), number, PER_PAGE, count=False)
    return _cached(jsonify(petitions=[petition_json(p) for p in page], page=number,
                           next_page=page.next_number if page.has_next else None))


@bp.get("/api/petitions/<int:petition_id>")
def api_petition(petition_id: int):
    petition = queries.public_petition(petition_id, events=True)
    if petition is None:
        abort(404)
    return _cached(jsonify(petition_json(petition, detail=True)))


def _spec() -> dict:
    return document(request.url_root.rstrip("/") + url_for("petitions.index"))


@bp.get("/api/openapi.json")
def api_openapi():
    return jsonify(_spec())


@bp.get("/api/")
def api_docs():
    return render("petitions/api.html", spec=_spec())


# CSV export -----------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "form", "status", "collection_opens_at", "collection_closes_at",
               "closed_at", "threshold", "signature_count", "url")
#: The verification's columns (empty until the clerk has marked the whole sample).
CSV_VERIFICATION = ("sample", "invalid", "count_after_verification", "estimated_valid",
                    "valid_low", "valid_high", "threshold_reached")


def _blank(value) -> object:
    return "" if value is None else value


@bp.get("/petitions.csv")
def export_csv():
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads Georgian as UTF-8 only with the mark
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + CSV_VERIFICATION)
    petitions = list(db.session.scalars(queries.api_statement()))
    results = verification.results(petitions)
    for petition in petitions:
        data = petition_json(petition)
        checked = verification_json(results.get(petition.id)) or {}
        writer.writerow([data[c] if data[c] is not None else "" for c in CSV_COLUMNS]
                        + [_blank(checked.get(c)) for c in CSV_VERIFICATION])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="petitions-{current_tenant.slug}.csv"')
    return _cached(response)

