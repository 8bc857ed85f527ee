"""The public list of petitions, a petition's page, and its count as JSON."""

from __future__ import annotations

from flask import abort, jsonify, request

from portal.blueprints.petitions import bp, cosponsors, guard, queries, sakrebulo, support
from portal.blueprints.petitions.lifecycle import (
    FORM_LABELS,
    REJECTION_LABELS,
    STATUS_LABELS,
    is_collecting,
)
from portal.i18n import localized
from portal.services import uploads
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.pagination import page_arg, paginate
from portal.web.rendering import render, render_public

PER_PAGE = 20
MAX_PAGE = 10_000
#: What a cache in front may keep: the count lags by at most the counting job's minute anyway.
PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=60"


def unit_choices() -> list[tuple[str, str]]:
    """The municipality's administrative units (stored in Georgian, shown in the language)."""
    return [(u.ka, str(localized(u))) for u in current_tenant.config.facts.units]


def petition_context(petition, form=None) -> dict:
    """What the petition's page shows (its timeline loaded here: the signing path skips it)."""
    return {"petition": queries.load_events(petition), "support": support.PageSupport(petition),
            "progress": queries.progress(petition),
            "signers": queries.latest_signers(petition),
            "events": queries.public_events(petition), "collecting": is_collecting(petition),
            # The form only where it is shown (the sign page): a form makes a CSRF token, and
            # the petition's own page must make none (no cookie: a cache in front keeps it).
            "form": form,
            "share_url": message_url("petitions.show", petition_id=petition.id),
            "status_labels": STATUS_LABELS, "form_labels": FORM_LABELS,
            "rejection_labels": REJECTION_LABELS, "paused": guard.signing_paused(),
            "at_sakrebulo": sakrebulo.at_sakrebulo(petition),
            "cosponsor_names": cosponsors.public_names(petition)}


def _cacheable(response, changed):
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.last_modified = changed
    return response.make_conditional(request)


@bp.get("/")
def index():
    tab = request.args.get("tab", "open")
    if tab not in queries.TABS:
        tab = "open"
    q = (request.args.get("q") or "").strip()[:100]
    page = paginate(queries.tab_statement(tab, q), page_arg(maximum=MAX_PAGE), PER_PAGE)
    return render("petitions/index.html", block="results", tabs=queries.TABS, tab=tab, q=q,
                  page=page, status_labels=STATUS_LABELS, rejection_labels=REJECTION_LABELS)


@bp.get("/<int:petition_id>")
def show(petition_id: int):
    found = queries.public_petition_changed(petition_id)
    if found is None:
        abort(404)
    petition, changed = found
    # From the page cache the page costs one statement (the petition and its Last-Modified):
    # the rest of its queries run only when it is rendered.
    response = render_public("petitions/show.html", compute=lambda: petition_context(petition))
    return _cacheable(response, changed)


@bp.get("/<int:petition_id>/attachment")
def attachment(petition_id: int):
    """A published petition's attachment, as a download (drafts': the author's and the
    moderators' own routes)."""
    petition = queries.public_petition(petition_id)
    if petition is None or not petition.attachment_path:
        abort(404)
    return uploads.download(petition.attachment_path, mimetype=petition.attachment_type,
                            name=petition.attachment_name)


@bp.get("/<int:petition_id>/count.json")
def count(petition_id: int):
    found = queries.public_petition_changed(petition_id)
    if found is None:
        abort(404)
    petition, changed = found
    progress = queries.progress(petition)
    response = jsonify(id=petition.id, status=petition.status, count=progress.count,
                       threshold=progress.threshold, percent=progress.percent,
                       days_left=progress.days_left)
    return _cacheable(response, changed)
