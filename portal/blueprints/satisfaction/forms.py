"""The citizen's answer form and staff's filters. The service checks everything again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.blueprints.satisfaction.services import MAX_COMMENT
from portal.web.forms import BaseForm

RATING_LABELS = {1: _l("1: very poor"), 2: _l("2: poor"), 3: _l("3: fair"), 4: _l("4: good"),
                 5: _l("5: very good")}


class AnswerForm(BaseForm):
    # The service checks the value (1-5) and says so in the page's language; WTForms' own
    # "not a valid choice" would be less clear.
    rating = RadioField(_l("How would you rate it?"), validate_choice=False,
                        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
                        choices=[SelectChoice(str(n), label) for n, label in RATING_LABELS.items()])
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(
            max=MAX_COMMENT, message=_l("A comment can be at most %(max)d characters."))],
        description=_l("What went well, what could be better. Please do not write your name or "
                       "contacts: staff read the comments, and may publish some without names."))
    #: The feature's own question (``invitations.Question``), when its kind has one.
    extra = RadioField(validate_choice=False, validators=[Optional()])


def answer_form(question, formdata=None) -> AnswerForm:
    form = AnswerForm(formdata=formdata)
    if question is None:
        del form.extra
    else:
        form.extra.label.text = str(question.label)
        form.extra.choices = [SelectChoice(value, label) for value, label in question.choices]
    return form
