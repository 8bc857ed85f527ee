"""The public list of consultations, a consultation's page (the draft's summary, documents and
sections, the comment period, published comments with the municipality's answers, the summary
once published, and the comment form while open), commenting, the page after it, the e-mail
link that confirms a comment, and the documents' downloads.

Commenting is limited per network address in the limiter's shared storage (``comment_limit``:
five comments in ten minutes; ``PORTAL_CONSULTATIONS_COMMENT_LIMIT`` overrides it); a breach
is answered on the form in the visitor's language. A filled honeypot is answered as if the
comment went, and nothing is kept. Works without JavaScript; htmx swaps only the form.
"""

from __future__ import annotations

import time

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.consultations import bp, comments, links, queries
from portal.blueprints.consultations.forms import CommentForm
from portal.blueprints.consultations.labels import KIND_LABELS
from portal.blueprints.consultations.models import Consultation, ConsultationDocument
from portal.blueprints.consultations.services import state
from portal.extensions import db, limiter
from portal.i18n import current_lang, localized_plain
from portal.services import uploads
from portal.web.forms import ConfirmForm
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render, render_public
from portal.web.staff_forms import refusals_onto

COMMENT_LIMIT = "5 per 600 seconds"


comment_limit = configured_limit("PORTAL_CONSULTATIONS_COMMENT_LIMIT", COMMENT_LIMIT)


def comment_key() -> str:
    return f"consultations.comment:{request.remote_addr or 'unknown'}"


@bp.get("/")
def index():
    def compute() -> dict:
        rows = queries.published()
        grouped = {"open": [], "upcoming": [], "closed": []}
        for consultation in rows:
            grouped[state(consultation)].append(consultation)
        return {"grouped": grouped, "counts": queries.comment_counts([c.id for c in rows])}

    return render_public("consultations/index.html", kind_labels=KIND_LABELS, compute=compute)


def _consultation(consultation_id: int) -> Consultation:
    consultation = queries.public_consultation(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _form(consultation: Consultation, formdata=None) -> CommentForm:
    return CommentForm(formdata, sections=[(s.id, localized_plain(s.text("title")))
                                           for s in consultation.sections])


def _context(consultation: Consultation, form: CommentForm | None = None) -> dict:
    return {"consultation": consultation, "state": state(consultation),
            "form": form or _form(consultation), "kind_labels": KIND_LABELS,
            "comments": queries.published_comments(consultation.id),
            "received": queries.received(consultation.id)}


def _page(consultation: Consultation, form: CommentForm | None = None, status: int = 200):
    return render("consultations/show.html", block="comment_form", status=status,
                  **_context(consultation, form))


@bp.get("/<int:consultation_id>")
def show(consultation_id: int):
    consultation = _consultation(consultation_id)  # a 404 is never cached
    return render_public("consultations/show.html", block="comment_form",
                         compute=lambda: _context(consultation))


def _too_fast(limit):
    consultation = _consultation(request.view_args["consultation_id"])
    form = _form(consultation, request.form)
    form.form_errors = [_("Several comments came from your address in a short time. Please wait "
                          "a few minutes and try again.")]
    response = _page(consultation, form, status=422 if is_fragment_request() else 429)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


@bp.post("/<int:consultation_id>")
@limiter.limit(comment_limit, key_func=comment_key, methods=["POST"], on_breach=_too_fast)
def comment(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = _form(consultation, request.form)
    done = url_for("consultations.sent", consultation_id=consultation.id)
    if form.website.data:  # the honeypot: a robot is told the comment went, nothing is kept
        return _to(done)
    if form.validate():
        with refusals_onto(form):
            comments.write(consultation, name=form.name.data or "", email=form.email.data,
                           body=form.body.data, locale=current_lang(), show_name=not form.anonymous.data,
                           section_id=int(form.section.data) if (form.section.data or "").isdigit() else None)
            db.session.commit()
            return _to(done)
        consultation = _consultation(consultation_id)  # the refusal rolled back: load it again
    return _page(consultation, form, status=422)


@bp.get("/<int:consultation_id>/sent")
def sent(consultation_id: int):
    return render("consultations/sent.html", consultation=_consultation(consultation_id))


def _confirm_page(link_token: str, problem: str | None, *, done: bool = False, status: int = 200):
    return render("consultations/confirm.html", status=status, link_token=link_token, problem=problem,
                  done=done, form=ConfirmForm())


@bp.get("/confirm/<link_token>")
def confirm(link_token: str):
    """The e-mail's link opens a page with one button (mail scanners follow links; only the
    POST confirms)."""
    comment, problem = links.comment_of(link_token)
    if comment is None:
        return _confirm_page(link_token, problem, status=404)
    return _confirm_page(link_token, None, done=comment.status != "unconfirmed")


@bp.post("/confirm/<link_token>")
def confirm_post(link_token: str):
    comment, problem = links.comment_of(link_token)
    if comment is None:
        return _confirm_page(link_token, problem, status=404)
    form = ConfirmForm()
    if not form.validate():
        return _confirm_page(link_token, None, status=422)
    comments.confirm(comment)
    db.session.commit()
    return _confirm_page(link_token, None, done=True)


@bp.get("/<int:consultation_id>/documents/<int:consultation_document_id>")
def document(consultation_id: int, consultation_document_id: int):
    consultation = _consultation(consultation_id)
    row = db.session.scalar(select(ConsultationDocument).where(
        ConsultationDocument.id == consultation_document_id,
        ConsultationDocument.consultation_id == consultation.id))
    if row is None:
        abort(404)
    try:
        return uploads.download(row.storage_path, mimetype=row.mimetype, name=row.name)
    except FileNotFoundError:
        abort(404)


def _to(url: str):
    """See Other to ``url``; under htmx, a redirect of the whole page."""
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)
