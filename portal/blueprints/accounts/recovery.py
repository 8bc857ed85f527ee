"""Links sent by e-mail: password reset, staff invitation, citizen sign-in; the citizen's page.

Every link is single-use and expiring. Asking for a link always answers the same way, so the
form cannot be used to find out who has an account.

A citizen sent to sign in from a page (``next``) comes back to it: the page is kept in the
session of the browser that asked for the link, never in the link, so a link opened elsewhere
(a phone's mail app) signs in all the same and lands on "My page".
"""

from __future__ import annotations

import time

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.blueprints.accounts import bp, login_as, notifications, rate_limit_key, sign_in_limit
from portal.blueprints.accounts import services as accounts
from portal.blueprints.accounts.forms import EmailForm, LoginLinkForm, NewPasswordForm
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.queries import user_by_email
from portal.blueprints.accounts.views import PENDING_KEY
from portal.extensions import db, limiter
from portal.tenancy import get_current_tenant
from portal.web.forms import ConfirmForm
from portal.web.redirects import safe_next
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto

#: Session key of the page a citizen asked for a sign-in link from.
LINK_NEXT_KEY = "login_link_next"


def _tenant_id() -> int | None:
    tenant = get_current_tenant()
    return tenant.id if tenant else None


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, key_func=rate_limit_key, methods=["POST"])
def reset_request():
    form = EmailForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is not None and user.is_active and user.is_staff:
            token = accounts.issue_token(user, "reset", _tenant_id())
            notifications.send_password_reset(user.email, token, request.blueprint, get_current_tenant())
        db.session.commit()
        return render("accounts/sent.html", block="content")
    return render("accounts/email_form.html", block="form", status=422 if form.errors else 200,
                  form=form, title=_("Reset your password"),
                  intro=_("Enter your staff e-mail. If it has an account, we send a link to choose a new password."))


@bp.route("/reset/<reset_token>", methods=["GET", "POST"])
def reset(reset_token: str):
    return _choose_password(reset_token, "reset")


@bp.route("/invitation/<invitation_token>", methods=["GET", "POST"])
def invitation(invitation_token: str):
    return _choose_password(invitation_token, "invite")


def _choose_password(token: str, purpose: str):
    row = accounts.find_token(token, purpose, _tenant_id())
    user = db.session.get(User, row.user_id) if row is not None else None
    if user is None or not user.is_active:
        return render("accounts/link_invalid.html", block="content", status=404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            accounts.set_password(user, form.password.data)
            accounts.use_token(row)
            db.session.commit()
            session.clear()
            # Straight on to the second factor (or its enrolment): the link proved the e-mail.
            session[PENDING_KEY] = {"user": user.id, "v": user.session_version, "at": int(time.time())}
            endpoint = "two_factor" if user.totp_secret else "enrol"
            return redirect(url_for(f"{request.blueprint}.{endpoint}"), code=303)
    title = _("Choose a new password") if purpose == "reset" else _("Accept the invitation")
    return render("accounts/new_password.html", block="form", status=422 if form.errors else 200,
                  form=form, title=title, email=user.email)


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, key_func=rate_limit_key, methods=["POST"])
def login_link():
    """Citizens sign in with a link by e-mail; no password, no account needed beforehand."""
    form = LoginLinkForm(next=safe_next(request.args.get("next"), ""))
    if form.validate_on_submit():
        _keep_next(form.next.data)
        existing = user_by_email(form.email.data)
        if existing is None or (existing.is_active and not existing.is_staff):
            user = accounts.citizen_for_email(form.email.data)
            token = accounts.issue_token(user, "login", _tenant_id())
            notifications.send_login_link(user.email, token, request.blueprint, get_current_tenant())
        db.session.commit()
        return render("accounts/sent.html", block="content")
    return render("accounts/email_form.html", block="form", status=422 if form.errors else 200,
                  form=form, title=_("Sign in with an e-mail link"),
                  intro=_("Follow your petitions, letters, applications and subscriptions in one place. "
                          "Enter your e-mail and we send you a link to sign in; no password needed. "
                          "Nothing on this portal requires an account unless the law does."))


def _keep_next(target: object) -> None:
    """Remember where this browser was going; anything but a local path is forgotten."""
    target = safe_next(target)
    if target:
        session[LINK_NEXT_KEY] = target
    else:
        session.pop(LINK_NEXT_KEY, None)


@bp.route("/link/<link_token>", methods=["GET", "POST"])
def link_sign_in(link_token: str):
    """GET shows a button, POST signs in: mail scanners that open links do not use them up."""
    row = accounts.find_token(link_token, "login", _tenant_id())
    if row is None:
        return render("accounts/link_invalid.html", block="content", status=404)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        user = accounts.use_token(row)
        if user is None or user.is_staff or not user.is_active:
            db.session.commit()
            return render("accounts/link_invalid.html", block="content", status=404)
        accounts.complete_sign_in(user, "email-link")
        # Read before login_as empties the session; checked again, as every target is.
        target = safe_next(session.get(LINK_NEXT_KEY))
        login_as(user)
        db.session.commit()
        flash(_("You are signed in."), "info")
        return redirect(target or url_for(f"{request.blueprint}.me"), code=303)
    return render("accounts/link_confirm.html", block="content", form=form)


@bp.get("/me")
@login_required
def me():
    """The citizen's own things; features add their lists through ``my_items``."""
    from portal.blueprints.accounts.mine import my_items

    return render("accounts/me.html", block="content", sections=my_items(current_user),
                  form=ConfirmForm())
