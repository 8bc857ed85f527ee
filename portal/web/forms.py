"""The base of every form: WTForms' and Flask-WTF's own messages in the page's language.

WTForms ships no Georgian catalogue, and Flask-WTF's CSRF messages are not translatable at
all, so "This field is required." showed on Georgian pages. ``BaseForm`` looks WTForms'
messages up in our own catalogue instead (``MESSAGES`` below puts them there: ``make i18n``
extracts them, the Georgian is in ka/messages.po like every other string).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.form import _FlaskFormCSRF
from wtforms.validators import ValidationError

from portal.i18n import request_catalogue


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
