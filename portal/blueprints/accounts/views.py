"""Staff sign-in in two steps (password, then TOTP or a recovery code), enrolment, sign-out."""

from __future__ import annotations

import time

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal.blueprints.accounts import (
    bp,
    end_current_session,
    login_as,
    rate_limit_key,
    sign_in_limit,
    totp,
)
from portal.blueprints.accounts import services as accounts
from portal.blueprints.accounts.forms import CodeForm, EnrolForm, SignInForm
from portal.blueprints.accounts.models import User
from portal.extensions import db, limiter
from portal.web.forms import ConfirmForm
from portal.web.redirects import safe_next
from portal.web.rendering import render

#: Seconds between the password step and the code step before starting again.
PENDING_SECONDS = 5 * 60
PENDING_KEY = "pending_sign_in"


def _here(endpoint: str) -> str:
    return url_for(f"{request.blueprint}.{endpoint}")


def _landing(user: User) -> str:
    target = safe_next(session.pop("next", None))
    if target:
        return target
    from portal.tenancy import get_current_tenant

    if user.is_staff and get_current_tenant():
        return url_for("admin.index")
    if user.is_platform_admin:
        return url_for("platform_admin.index")
    return _here("me")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, key_func=rate_limit_key, methods=["POST"])
def sign_in():
    form = SignInForm(next=safe_next(request.args.get("next"), ""))
    if form.validate_on_submit():
        user = accounts.check_password_sign_in(form.email.data, form.password.data,
                                                request.remote_addr)
        if user is not None:
            next_url = safe_next(form.next.data)
            session.clear()
            session[PENDING_KEY] = {"user": user.id, "v": user.session_version, "at": int(time.time())}
            if next_url:
                session["next"] = next_url
            db.session.commit()
            return redirect(_here("two_factor" if user.totp_secret else "enrol"), code=303)
        db.session.commit()  # keep the failure count and the audit row
        form.password.errors.append(
            _("E-mail or password is wrong, or the account is paused after repeated failures. "
              "Wait a few minutes or reset your password.")
        )
        return render("accounts/sign_in.html", block="form", status=422, form=form)
    status = 422 if form.errors else 200
    return render("accounts/sign_in.html", block="form", status=status, form=form)


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.is_active or user.session_version != pending.get("v"):
        return None
    return user


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, key_func=rate_limit_key, methods=["POST"])
def two_factor():
    user = _pending_user()
    if user is None or not user.totp_secret:
        flash(_("Please sign in again."), "info")
        return redirect(_here("sign_in"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        if (not accounts.is_locked(user, request.remote_addr)
                and accounts.verify_second_factor(user, form.code.data)):
            accounts.complete_sign_in(user, "totp", request.remote_addr)
            next_url = session.get("next")
            login_as(user)
            db.session.commit()
            if next_url:
                session["next"] = next_url
            return redirect(_landing(user), code=303)
        db.session.rollback()
        accounts.second_factor_failed(user, request.remote_addr)
        db.session.commit()
        form.code.errors.append(_("That code is not valid. Codes change every 30 seconds."))
    status = 422 if form.errors else 200
    return render("accounts/two_factor.html", block="form", status=status, form=form)


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, key_func=rate_limit_key, methods=["POST"])
def enrol():
    """Mandatory TOTP enrolment for staff who have none; ends in a signed-in session."""
    user = _pending_user()
    if user is None or user.totp_secret:
        return redirect(_here("sign_in"), code=303)
    secret = session.get("enrol_secret") or totp.new_secret()
    session["enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        codes = accounts.confirm_totp(user, secret, form.code.data)
        if codes is not None:
            accounts.complete_sign_in(user, "totp-enrolment", request.remote_addr)
            next_url = session.get("next")
            login_as(user)
            db.session.commit()
            if next_url:
                session["next"] = next_url
            return render("accounts/recovery_codes.html", codes=codes, continue_url=_landing(user))
        form.code.errors.append(_("That code is not valid. Check the time on your phone and try again."))
    uri = totp.provisioning_uri(secret, user.email)
    status = 422 if form.errors else 200
    return render("accounts/enrol.html", block="form", status=status, form=form,
                  qr=totp.qr_svg_data_uri(uri), secret=secret)


@bp.post("/sign-out")
def sign_out():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        from portal.services import audit

        audit.record("sign_out", target=f"user:{current_user.id}")
    end_current_session()  # on the server too: a copy of the cookie stops working
    db.session.commit()
    return redirect(_here("sign_in"), code=303)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.sign_out_everywhere(db.session.get(User, current_user.id))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "info")
    return redirect(_here("sign_in"), code=303)

