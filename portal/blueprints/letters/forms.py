"""The public forms of letters: writing one, looking one up, and the writer's feedback. The
services check everything again; the forms give each field its message first."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.blueprints.letters.attachments import LIMIT, MAX_FILES
from portal.blueprints.letters.lifecycle import FEEDBACK_LABELS
from portal.blueprints.letters.models import FEEDBACK
from portal.web.forms import EMAIL, PHONE, BaseForm

MAX_TEXT = 20000


class LetterForm(BaseForm):
    full_name = StringField(_l("First and last name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        description=_l("We send the tracking code and the answer there."))
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), PHONE])
    address = StringField(_l("Address (optional)"), validators=[Optional(), Length(max=300)])
    unit = StringField(_l("Administrative unit (optional)"), validators=[Optional(), Length(max=100)])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Your letter"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    #: Checked by ``attachments.check_all`` (by content) when the letter is sent.
    attachments = MultipleFileField(
        _l("Attachments (optional)"),
        description=_l("Up to %(count)s files, each up to %(size)s MB: PDF, pictures (PNG or "
                       "JPEG) or text documents (ODT or DOCX).",
                       count=MAX_FILES, size=LIMIT // (1024 * 1024)))
    wants_publication = BooleanField(
        _l("Publish my letter and its answer on the municipality's list of letters, without my "
           "name and contacts"))
    #: The honeypot: hidden from people; a filled one is a robot, answered as if it was sent.
    website = StringField(_l("Leave this field empty"))
    #: This form's key, made when it is shown: sent twice, it stores one letter.
    submission = HiddenField(default=lambda: secrets.token_hex(16),
                             validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])


class UnitLetterForm(LetterForm):
    """For a municipality with administrative units: the unit is picked from its list."""

    unit = SelectField(_l("Administrative unit (optional)"), validators=[Optional()],
                       validate_choice=True)


def letter_form(units: list[tuple[str, str]], formdata=None, **values) -> LetterForm:
    """The form; ``units`` ((stored value, label) pairs) turn the unit into a list."""
    if not units:
        return LetterForm(formdata=formdata, **values)
    form = UnitLetterForm(formdata=formdata, **values)
    form.unit.choices = [SelectChoice("", _l("— not given —")),
                         *(SelectChoice(value, label) for value, label in units)]
    return form


class TrackForm(BaseForm):
    code = StringField(_l("Tracking code"), validators=[DataRequired(), Length(max=20)],
                       description=_l("Ten letters and digits, as in the e-mail: ABCDE-12345."))
    email = StringField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        description=_l("The address you wrote from."))


class FeedbackForm(BaseForm):
    answer = RadioField(_l("Did you get a useful answer?"), validators=[InputRequired()],
                        choices=[SelectChoice(value, FEEDBACK_LABELS[value]) for value in FEEDBACK])
