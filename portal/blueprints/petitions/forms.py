"""The public signing form. The service (``signing.sign``) checks everything again; the form
gives each field its message in the visitor's language first."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.web.forms import EMAIL, PERSONAL_NUMBER, PHONE, BaseForm


class SignForm(BaseForm):
    full_name = StringField(_l("First and last name"), validators=[DataRequired(), Length(max=200)])
    personal_number = StringField(
        _l("Personal number"), validators=[DataRequired(), PERSONAL_NUMBER],
        description=_l("11 digits. It is never shown publicly; it only ensures each person "
                       "signs once."))
    email = StringField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        description=_l("We send a link there: your signature counts once you "
                                       "confirm it."))
    phone = StringField(_l("Mobile phone (optional)"), validators=[Optional(), PHONE])
    unit = StringField(_l("Administrative unit (optional)"),
                       validators=[Optional(), Length(max=100)])
    consent = BooleanField(_l("I agree that my name, personal number and contacts are processed "
                              "to count and verify my signature, and that my initials are shown "
                              "among the signers."),
                           validators=[DataRequired(_l("Signing needs your consent to the "
                                                       "processing of your data."))])
    wants_outcome = BooleanField(_l("Tell me by e-mail what becomes of this petition"))
    #: The honeypot: hidden from people; a filled one is a robot, answered as if it signed.
    website = StringField(_l("Leave this field empty"))


class UnitSignForm(SignForm):
    """For a municipality with administrative units: the unit is picked from its list."""

    unit = SelectField(_l("Administrative unit (optional)"), validators=[Optional()],
                       validate_choice=True)


def sign_form(units: list[tuple[str, str]], formdata=None) -> SignForm:
    """The form; ``units`` ((stored value, label) pairs) turn the unit into a list."""
    if not units:
        return SignForm(formdata=formdata)
    form = UnitSignForm(formdata=formdata)
    form.unit.choices = [("", _l("— not given —")), *units]
    return form
