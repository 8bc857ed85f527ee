"""The public comment form: name (or anonymous), e-mail, the section, the comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.blueprints.consultations.comments import MAX_BODY
from portal.web.forms import EMAIL, BaseForm


class CommentForm(BaseForm):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=120)])
    anonymous = BooleanField(_l("Publish my comment without my name"))
    email = StringField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        description=_l("We send a link to confirm your comment, and the "
                                       "municipality's answer. It is never published."))
    section = SelectField(_l("Section of the draft"), choices=[], validators=[Optional()])
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=MAX_BODY)],
                         render_kw={"rows": 6})
    #: A honeypot: people never see it, robots fill it.
    website = StringField(_l("Website"))

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section.choices = [SelectChoice("", _l("The whole draft")),
                                *(SelectChoice(str(value), label) for value, label in sections)]
