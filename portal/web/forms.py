"""The base of every form and what forms share: ``BaseForm``, ``ConfirmForm``, the validators
``EMAIL``, ``PHONE`` and ``PERSONAL_NUMBER`` with their inputs' HTML attributes, and
``errors_onto`` (a service's ``DomainError`` onto the form).

WTForms ships no Georgian catalogue, and Flask-WTF's CSRF messages are not translatable at
all, so "This field is required." showed on Georgian pages. ``BaseForm`` looks WTForms'
messages up in our own catalogue instead (``MESSAGES`` below puts them there: ``make i18n``
extracts them, the Georgian is in ka/messages.po like every other string).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _FlaskFormCSRF
from wtforms.validators import Regexp, ValidationError

from portal.i18n import request_catalogue
from portal.services.errors import DomainError
from portal.services.recipients import EMAIL_PATTERN, InvalidRecipient, georgian_mobile


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    return message


#: WTForms' and Flask-WTF's messages that our forms can show. A plural is two entries: Georgian
#: has one form, and English picks by the number (``ngettext`` below).
MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be exactly %(max)d character long."),
    N_("Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("File does not have an approved extension."),
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
)


class CatalogueTranslations:
    """The ``gettext``/``ngettext`` pair WTForms asks for, answered from our catalogue."""

    def gettext(self, string: str) -> str:
        return request_catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return request_catalogue().ugettext(singular if n == 1 else plural)


translations = CatalogueTranslations()


class _TranslatedCSRF(_FlaskFormCSRF):
    # Flask-WTF raises its CSRF messages in English only.
    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as exc:
            raise ValidationError(translations.gettext(str(exc.args[0]))) from exc


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        csrf_class = _TranslatedCSRF

        def get_translations(self, form):
            return translations


class ConfirmForm(BaseForm):
    """A bare POST with CSRF: sign-out, delete buttons, sign-in with a link (mail scanners
    only GET)."""


#: An e-mail address, deliberately loose: the message we send is the real check.
EMAIL = Regexp(EMAIL_PATTERN, message=_l("Enter an e-mail address."))


class Phone:
    """A Georgian mobile number: 5XX XXX XXX, with or without +995, spaces or dashes.
    The field's data becomes the number in E.164 (``+995555123456``)."""

    message = _l("Enter a Georgian mobile number: 9 digits starting with 5, such as 555 12 34 56.")

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            field.data = georgian_mobile(field.data)
        except InvalidRecipient:
            raise ValidationError(self.message) from None


class PersonalNumber:
    """A Georgian personal number: exactly 11 digits (blanks around it are dropped)."""

    message = _l("A personal number has exactly 11 digits.")
    _DIGITS = re.compile(r"[0-9]{11}")

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        value = field.data.strip()
        if not self._DIGITS.fullmatch(value):
            raise ValidationError(self.message)
        field.data = value


PHONE = Phone()
PERSONAL_NUMBER = PersonalNumber()

#: The attributes of each kind of input (``render_kw=`` of the field, or the template's own
#: ``<input>``): the right keyboard on a phone, the browser's autofill, the length the
#: validator allows. The autofill is the visitor's own address or number; a field for
#: someone else's (staff inviting a colleague) passes ``autocomplete="off"`` in the template.
EMAIL_INPUT = {"type": "email", "inputmode": "email", "autocomplete": "email", "maxlength": 254}
PHONE_INPUT = {"type": "tel", "inputmode": "tel", "autocomplete": "tel", "maxlength": 20}
PERSONAL_NUMBER_INPUT = {"type": "text", "inputmode": "numeric", "autocomplete": "off",
                         "maxlength": 11}


def errors_onto(form, error: DomainError) -> None:
    """Show a service's refusal on ``form``: beside the field it names, or above the form
    (``form.form_errors``) when it names none, or one the form does not have."""
    message = str(error)
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, message]
    else:
        form.form_errors = [*form.form_errors, message]
