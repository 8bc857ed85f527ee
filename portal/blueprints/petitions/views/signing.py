"""Signing a petition and confirming a signature from the e-mail link.

Signing is limited per petition in the limiter's shared storage: per network address
(``sign_limit``: one a minute, five in five minutes), per e-mail address as duplicate checks
see it (``email_limit``: aliases of one inbox count together) and per e-mail domain
(``domain_limit``). When staff pause signing the form says so and a POST is refused (422).
The link in the e-mail opens a page whose button confirms with a POST: a GET never
changes anything, so a mail scanner cannot confirm or burn it.
"""

from __future__ import annotations

import time

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from portal.blueprints.petitions import bp, guard, queries, signing
from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.forms import sign_form
from portal.blueprints.petitions.lifecycle import is_collecting
from portal.blueprints.petitions.views.public import petition_context, unit_choices
from portal.db import aware, utcnow
from portal.extensions import db, limiter
from portal.i18n import current_lang
from portal.services.errors import DomainError
from portal.web.forms import ConfirmForm, errors_onto
from portal.web.htmx import hx_headers, is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render

#: Per address and petition; ``PORTAL_PETITION_SIGN_LIMIT`` overrides it.
SIGN_LIMIT = "1 per 60 seconds;5 per 300 seconds"


sign_limit = configured_limit("PORTAL_PETITION_SIGN_LIMIT", SIGN_LIMIT)


#: Per normalised e-mail address and petition; ``PORTAL_PETITION_EMAIL_LIMIT`` overrides it.
EMAIL_LIMIT = "3 per 600 seconds"
#: Per e-mail domain and petition, big webmail providers left out (``guard.SHARED_PROVIDERS``);
#: ``PORTAL_PETITION_DOMAIN_LIMIT`` overrides it.
DOMAIN_LIMIT = "60 per 600 seconds"


email_limit = configured_limit("PORTAL_PETITION_EMAIL_LIMIT", EMAIL_LIMIT)


domain_limit = configured_limit("PORTAL_PETITION_DOMAIN_LIMIT", DOMAIN_LIMIT)


def sign_key() -> str:
    petition_id = (request.view_args or {}).get("petition_id")
    return f"petitions.sign:{petition_id}:{request.remote_addr or 'unknown'}"


def email_key() -> str:
    petition_id = (request.view_args or {}).get("petition_id")
    address = normalise_email(request.form.get("email", ""))[:320]
    return f"petitions.sign.email:{petition_id}:{address}"


def domain_key() -> str:
    petition_id = (request.view_args or {}).get("petition_id")
    return f"petitions.sign.domain:{petition_id}:{guard.email_domain(request.form.get('email', ''))[:255]}"


def _too_fast(limit):
    """A breached limit answered on the form itself, in the visitor's language (429; 422 under
    htmx, which swaps only that). ``None`` leaves the portal's 429 page."""
    petition = queries.public_petition((request.view_args or {}).get("petition_id", 0))
    if petition is None:
        return None
    form = signing_form()
    if "petitions.sign.domain:" in limit.key:
        message = _("Many signatures came from addresses of this e-mail provider in a short "
                    "time. Please wait a few minutes and try again.")
    elif "petitions.sign.email:" in limit.key:
        message = _("Several signatures came from this e-mail address in a short time. Please "
                    "wait a few minutes and try again.")
    else:
        message = _("Several signatures came from your address in a short time. Please wait a "
                    "few minutes and try again.")
    form.form_errors = [message]
    response = render("petitions/show.html", block="sign_form",
                      status=422 if is_fragment_request() else 429,
                      **petition_context(petition, form), show_form=True)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


@bp.post("/<int:petition_id>/sign")
@limiter.limit(sign_limit, key_func=sign_key, methods=["POST"], on_breach=_too_fast)
@limiter.limit(email_limit, key_func=email_key, methods=["POST"], on_breach=_too_fast)
@limiter.limit(domain_limit, key_func=domain_key, methods=["POST"], on_breach=_too_fast,
               exempt_when=lambda: guard.shared_provider(request.form.get("email", "")))
def sign(petition_id: int):
    found = queries.petition_to_sign(petition_id)
    if found is None:
        abort(404)
    petition, settings = found
    form = signing_form()
    done = url_for("petitions.signed", petition_id=petition.id)
    if form.website.data:  # the honeypot: a robot is told it signed, and nothing is kept
        return _to(done)
    if form.validate():
        try:  # refused while staff pause signing (guard.check_signer): the form then says so
            signing.sign(petition, full_name=form.full_name.data,
                         personal_number=form.personal_number.data, email=form.email.data,
                         phone=form.phone.data or "", unit=form.unit.data or "",
                         consent=form.consent.data, wants_outcome=form.wants_outcome.data,
                         locale=current_lang(), network_address=request.remote_addr or "",
                         settings=settings)
        except DomainError as error:
            db.session.rollback()
            errors_onto(form, error)
        else:
            db.session.commit()
            return _to(done)
    return render("petitions/show.html", block="sign_form", status=422,
                  **petition_context(petition, form), show_form=True)


@bp.get("/<int:petition_id>/sign")
def sign_page(petition_id: int):
    """The sign form: under htmx in place of the petition page's "Sign" button, without
    JavaScript the petition's page with the form open. The petition's own page holds no form
    needing a token, so it sets no cookie and a cache in front may keep it (issue 17)."""
    found = queries.petition_to_sign(petition_id)  # with the settings: one statement
    if found is None:
        abort(404)
    petition, settings = found
    if not is_collecting(petition):
        return redirect(url_for("petitions.show", petition_id=petition_id), code=303)
    form = sign_form(unit_choices())
    if is_fragment_request():  # only the form: what the block shows needs no more queries
        return render("petitions/show.html", block="sign_form", petition=petition, form=form,
                      paused=bool(settings.get("signing_paused")), show_form=True)
    return render("petitions/show.html", block="sign_form", **petition_context(petition, form),
                  show_form=True)


def signing_form():
    return sign_form(unit_choices(), request.form)


def _to(url: str):
    """See Other to ``url``; under htmx, a redirect of the whole page."""
    if is_fragment_request():
        return hx_headers(current_app.response_class("", 204), redirect=url)
    return redirect(url, code=303)


@bp.get("/<int:petition_id>/signed")
def signed(petition_id: int):
    petition = queries.public_petition(petition_id)
    if petition is None:
        abort(404)
    return render("petitions/signed.html", petition=petition)


def _opened(token: str):
    """(signature, petition) of a good link to a public petition, or (None, None); one
    statement, and both stay in the session for ``signing.confirm``."""
    found = signing.open_link(token)
    return found if found is not None and queries.is_public(found[1]) else (None, None)


@bp.get("/confirm/<signature_token>")
def confirm_signature(signature_token: str):
    """The page the e-mail's link opens: it only shows a button (the POST below confirms)."""
    _, petition = _opened(signature_token)
    if petition is None:
        return _bad_link(signature_token)
    return _confirm_page(signature_token, petition)


@bp.post("/confirm/<signature_token>")
def confirm_signature_post(signature_token: str):
    signature, petition = _opened(signature_token)  # held, so confirm() finds it in the session
    if petition is None:
        return _bad_link(signature_token)
    form = ConfirmForm()
    if not form.validate():
        error = " ".join(form.csrf_token.errors) or _("The form expired; press the button again.")
        return _confirm_page(signature_token, petition, error=error)
    now = utcnow()
    try:
        signature = signing.confirm(signature_token, now=now)
    except DomainError as refusal:
        db.session.rollback()
        return _confirm_page(signature_token, petition, error=str(refusal))
    already = aware(signature.confirmed_at) != now
    # Rendered before the commit, which would expire the petition into one more query; a
    # commit that fails raises, and this page is never sent.
    response = _confirm_page(signature_token, petition, done=True, already=already)
    db.session.commit()
    return response


def _confirm_page(token: str, petition, *, error=None, done=False, already=False):
    return _private(render("petitions/confirm.html", status=400 if error else 200,
                           petition=petition, token=token, done=done, already=already,
                           error=error))


def _bad_link(token: str):
    # A bad, expired or another municipality's token: "not found", said in plain words.
    return _private(render("petitions/confirm.html", status=404, petition=None, token=token,
                           done=False, already=False, error=signing.BAD_LINK))


def _private(response):
    # The token is a key to someone's signature: nothing in between keeps or forwards it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
