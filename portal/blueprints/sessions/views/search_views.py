"""Search pages: one municipality's archive at /<slug>/sessions/search, all of them at /search.

A plain GET form: without JavaScript it submits and pages with links; with htmx the results
region updates as you type (debounced, URL pushed) and "load more" appends the next page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from portal.blueprints.sessions import bp, global_bp
from portal.blueprints.sessions.search import FORMS_START, SearchPage, SearchQuery, search
from portal.blueprints.sessions.search.choices import Choices, form_choices
from portal.extensions import db, limiter
from portal.services.errors import DomainError
from portal.tenancy import all_tenants, current_tenant, get_directory
from portal.web.htmx import is_fragment_request
from portal.web.inputs import int_arg
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render

MAX_QUERY = 200


@dataclass
class Form:
    q: str = ""
    body: int | None = None
    year: int | None = None
    transcript: bool = False
    municipality: str = ""
    before: int | None = None
    error: str | None = None


def parse_form() -> Form:
    form = Form(q=request.args.get("q", "").strip(),
                body=int_arg("body", minimum=1, clamp=False),
                year=int_arg("year", minimum=1990, maximum=2100, clamp=False),
                transcript=request.args.get("transcript") == "1",
                municipality=request.args.get("municipality", "").strip(),
                before=int_arg("before", minimum=1, maximum=2**62, clamp=False))
    if len(form.q) > MAX_QUERY:
        form.q = form.q[:MAX_QUERY]
        form.error = _("The search was shortened to %(n)d characters.", n=MAX_QUERY)
    return form


def run_search(form: Form, tenant_ids: tuple[int, ...]) -> SearchPage:
    """The page of groups, each with its heading (see ``search``)."""
    query = SearchQuery(text=form.q, tenant_ids=tenant_ids, body_id=form.body, year=form.year,
                        has_transcript=form.transcript, before=form.before)
    return search(db.session.connection(), query)


def _render(form: Form, page, status: int = 200, **extra):
    tenants = {t.id: t for t in get_directory(current_app).active()}
    block = "results_page" if form.before else "results"
    return render("sessions/search.html", block=block, form=form, page=page, tenants=tenants,
                  forms_start=FORMS_START, status=status, **extra)


@bp.get("/search")
def search_page():
    form = parse_form()
    page = run_search(form, (current_tenant.id,))
    # The form's choices are not part of the fragment.
    choices = form_choices() if not is_fragment_request() else Choices((), ())
    return _render(form, page, bodies=choices.bodies, years=choices.years, is_global=False)


@global_bp.get("/search")
def global_search():
    """Across every municipality of the portal (the platform's root search)."""
    form = parse_form()
    form.body = None  # bodies belong to one municipality
    # Municipalities that switched the archive off are not searched.
    active = [t for t in get_directory(current_app).active() if t.has_feature("sessions")]
    chosen = [t for t in active if t.slug == form.municipality] or active
    with all_tenants():
        page = run_search(form, tuple(t.id for t in chosen))
    return _render(form, page, bodies=[], years=[], is_global=True, municipalities=active)


# Saving a search starts a subscription: the subscriptions' limit per network address.
_alert_limit = configured_limit("PORTAL_SUBSCRIBE_LIMIT", "10 per 10 minutes;30 per day")


def _alert_key() -> str:
    return f"sessions.search_alert:{request.remote_addr or 'unknown'}"


def _alert_refused(message: str, status: int):
    form = parse_form()
    form.q = request.form.get("q", "").strip()[:MAX_QUERY]
    page = run_search(form, (current_tenant.id,))
    choices = form_choices()
    return _render(form, page, bodies=choices.bodies, years=choices.years, is_global=False,
                   alert_error=message, status=status)


@bp.post("/search/alert")
@limiter.limit(_alert_limit, key_func=_alert_key, methods=["POST"],
               on_breach=lambda limit: _alert_refused(
                   _("Several requests came from you in a short time. Please wait a few minutes "
                     "and try again."), 429))
def search_alert():
    """"Tell me when this comes up": the search is saved (once per query here), then the
    subscriptions' own form opens with it chosen (e-mail with double opt-in, or SMS)."""
    from portal.blueprints.sessions.search_alerts import TOPIC, save_search

    if not current_tenant.has_feature("subscriptions"):
        abort(404)
    try:
        saved = save_search(request.form.get("q", ""))
    except DomainError as error:
        db.session.rollback()
        return _alert_refused(str(error), 422)
    db.session.commit()
    return redirect(url_for("subscriptions.index", topic=f"{TOPIC}:{saved.id}"), code=303)
