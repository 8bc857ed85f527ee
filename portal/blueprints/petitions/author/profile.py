"""The author's details (``/petitions/mine/profile``) and the confirmation of their phone by
an SMS code (``/petitions/mine/profile/phone``). Rules in ``petitions/identity.py``."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.blueprints.petitions import identity
from portal.blueprints.petitions.author import bp
from portal.extensions import db
from portal.services import phone_codes
from portal.services.errors import DomainError
from portal.web.forms import PERSONAL_NUMBER, PERSONAL_NUMBER_INPUT, PHONE, PHONE_INPUT, BaseForm
from portal.web.forms import errors_onto as put_onto
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


class ProfileForm(BaseForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)],
                            render_kw={"autocomplete": "family-name"})
    birth_date = DateField(_l("Date of birth"), validators=[InputRequired()],
                           render_kw={"autocomplete": "bday"},
                           description=_l("An author must be 18 or older."))
    personal_number = StringField(_l("Personal number"), validators=[Optional(), PERSONAL_NUMBER],
                                  render_kw=PERSONAL_NUMBER_INPUT)
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(), PHONE],
                        render_kw=PHONE_INPUT,
                        description=_l("We send a code there by SMS to confirm it."))


class CodeForm(BaseForm):
    code = StringField(_l("Code from the SMS"), validators=[DataRequired(), Length(max=12)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code",
                                  "maxlength": 12})


def _language() -> str:
    return str(get_locale() or "ka")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    existing = identity.profile_of(current_user)
    # Never the personal number: it is not sent back to the browser.
    form = ProfileForm(data={name: getattr(existing, name) for name in (
        "first_name", "last_name", "birth_date", "phone")} if existing else None)
    if existing is None or not existing.personal_number_hash:
        form.personal_number.validators = [DataRequired(), PERSONAL_NUMBER]
        form.personal_number.flags.required = True
        form.personal_number.description = _("11 digits, as on your ID card.")
    else:
        form.personal_number.description = _("Stored already; leave it empty to keep it, or "
                                             "type it again to change it.")
    if form.validate_on_submit():
        with refusals_onto(form):
            saved_profile = identity.save_profile(
                current_user, first_name=form.first_name.data, last_name=form.last_name.data,
                birth_date=form.birth_date.data, personal_number=form.personal_number.data,
                phone=form.phone.data)
            if saved_profile.phone_confirmed_at is not None:
                return saved(_("Your author details are saved."), url_for("petitions_author.index"))
            _send_code(saved_profile)
            return saved(_("Your author details are saved. Type the code we sent to your phone."),
                         url_for("petitions_author.phone"))
    return render("petitions/author/profile.html", block="content",
                  status=422 if request.method == "POST" else 200, form=form, profile=existing,
                  masked=identity.masked(existing) if existing else "",
                  complete=identity.is_complete(existing))


def _send_code(profile) -> None:
    """Send the first code; a refusal (too many codes) is told, the details stay saved."""
    try:
        with db.session.begin_nested():
            identity.send_phone_code(current_user, profile, language=_language())
    except DomainError as error:
        flash(str(error), "error")


def _phone_page(profile, code_form: CodeForm, status: int = 200):
    return render("petitions/author/phone.html", block="content", status=status,
                  profile=profile, form=code_form,
                  complete=identity.is_complete(profile))


@bp.route("/profile/phone", methods=["GET", "POST"])
@login_required
def phone():
    """Type the code back; a wrong try counts even though the answer is a refusal."""
    profile = identity.profile_of(current_user)
    if profile is None or not profile.phone:
        return redirect(url_for("petitions_author.profile"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            identity.confirm_phone(current_user, profile, form.code.data)
        except phone_codes.CodeRefused as error:
            db.session.commit()  # the try is counted
            put_onto(form, error)
        else:
            return saved(_("Your phone is confirmed. You can send petitions for moderation."),
                         url_for("petitions_author.index"))
    return _phone_page(profile, form, status=422 if request.method == "POST" else 200)


@bp.post("/profile/phone/code")
@login_required
def phone_code():
    """Send a (new) code to the profile's phone."""
    profile = identity.profile_of(current_user)
    if profile is None or not profile.phone:
        return redirect(url_for("petitions_author.profile"), code=303)
    code_form = CodeForm(formdata=None)  # the app checked the CSRF token already
    with refusals_onto(code_form):
        identity.send_phone_code(current_user, profile, language=_language())
        return saved(_("We sent a new code to your phone."), url_for("petitions_author.phone"))
    return _phone_page(identity.profile_of(current_user), code_form, status=422)
