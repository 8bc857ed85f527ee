"""Forms of sign-in, two-factor, reset, invitation and citizen login links."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.blueprints.accounts.passwords import MAX_LENGTH
from portal.web.forms import EMAIL, BaseForm


class SignInForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()


class CodeForm(BaseForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        validators=[DataRequired(), Length(max=20)],
    )


class EnrolForm(BaseForm):
    code = StringField(
        _l("Code from the app"),
        description=_l("After adding the account, enter the 6-digit code the app shows."),
        validators=[DataRequired(), Length(max=20)],
    )


class EmailForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])


class LoginLinkForm(EmailForm):
    """The citizen's e-mail, and the page they were on their way to (checked on use)."""

    next = HiddenField()


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 15 characters. A few unrelated words make a strong, memorable password."),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
