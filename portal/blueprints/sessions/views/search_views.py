"""Search pages: one municipality's archive at /<slug>/sessions/search, all of them at /search.

A plain GET form: without JavaScript it submits and pages with links; with htmx the results
region updates as you type (debounced, URL pushed) and "load more" appends the next page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _

from portal.blueprints.sessions import bp, global_bp
from portal.blueprints.sessions.search import SearchPage, SearchQuery, search
from portal.blueprints.sessions.search.choices import Choices, form_choices
from portal.extensions import db
from portal.tenancy import all_tenants, current_tenant, get_directory
from portal.web.htmx import is_fragment_request
from portal.web.inputs import int_arg
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


def _render(form: Form, page, **extra):
    tenants = {t.id: t for t in get_directory(current_app).active()}
    block = "results_page" if form.before else "results"
    return render("sessions/search.html", block=block, form=form, page=page, tenants=tenants,
                  **extra)


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
