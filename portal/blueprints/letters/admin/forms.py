"""Forms of the staff's letter pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.blueprints.letters.lifecycle import STATUS_LABELS
from portal.blueprints.letters.models import STATUSES
from portal.web.forms import BaseForm
from portal.web.inputs import db_int


class AssignForm(BaseForm):
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])
    assignee_id = SelectField(_l("Person"), coerce=db_int, validators=[Optional()],
                              validate_choice=True)

    def set_choices(self, people: list[tuple[int, str]], departments: list[str]) -> None:
        self.assignee_id.choices = [SelectChoice(0, _l("— nobody —")),
                                    *(SelectChoice(i, name) for i, name in people)]
        if departments:
            self.department.render_kw = {"list": "departments"}


class NoteForm(BaseForm):
    # Its own id: the reply's text shares the page (and the name ``text``).
    text = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=4000)],
                         description=_l("Only staff see it."), id="note-text")


class StatusForm(BaseForm):
    status = SelectField(_l("New status"), validators=[InputRequired()], validate_choice=True)
    forwarded_to = StringField(_l("Forwarded to (when forwarding)"),
                               validators=[Optional(), Length(max=300)])
    note = TextAreaField(_l("Note (shown to the writer)"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES]


class ReplyForm(BaseForm):
    text = TextAreaField(_l("Answer to the writer"), validators=[DataRequired(), Length(max=20000)],
                         id="reply-text",
                         description=_l("Sent by e-mail and shown on the writer's tracking page; "
                                        "published with the letter if the writer agreed."))


class PublicationForm(BaseForm):
    withheld = SelectField(choices=[SelectChoice("1", "1"), SelectChoice("0", "0")], validators=[InputRequired()],
                           validate_choice=True)
