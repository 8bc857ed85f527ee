"""The public forms of surveys: the e-mail address or phone that confirms a respondent, and
the SMS code. The answers themselves are read by ``answering`` (their inputs depend on the
survey's questions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from portal.web.forms import EMAIL, EMAIL_INPUT, PHONE, PHONE_INPUT, BaseForm


class EmailForm(BaseForm):
    email = StringField(_l("Your e-mail address"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        render_kw=EMAIL_INPUT,
                        description=_l("We send a link there; one answer per address."))


class PhoneForm(BaseForm):
    phone = StringField(_l("Your mobile phone"), validators=[DataRequired(), PHONE],
                        render_kw=PHONE_INPUT,
                        description=_l("We send a code by SMS; one answer per phone."))


class CodeForm(BaseForm):
    code = StringField(_l("The code from the SMS"), validators=[
        DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("The code has six digits."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 8})
