"""The staff's forms: a survey's settings, the yearly template, a section, a question, the
status. Times are typed in the municipality's zone and converted here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.i18n import localized, to_utc
from portal.web.forms import BaseForm
from portal.web.inputs import BoundedIntegerField, db_int

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

ACCESS_LABELS = {
    "anyone": _l("Anyone (one answer per browser)"),
    "email": _l("Confirmed by e-mail (one answer per address)"),
    "sms": _l("Confirmed by SMS code (one answer per phone)"),
}
KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "rating": _l("Rating scale"),
    "ranking": _l("Ranking"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "number": _l("Number"),
    "unit": _l("Administrative unit"),
}
STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "closed": _l("Closed")}


class SurveyForm(BaseForm):
    title = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    intro = TextAreaField(_l("Introduction (Georgian)"), validators=[Optional(), Length(max=5000)])
    intro_en = TextAreaField(_l("Introduction (English)"), validators=[Optional(), Length(max=5000)])
    access = SelectField(_l("Who may answer"), validators=[InputRequired()], validate_choice=True,
                         choices=[SelectChoice(k, v) for k, v in ACCESS_LABELS.items()])
    keeps_contact = BooleanField(_l("Keep the confirmed e-mail address or phone with the answers"),
                                 description=_l("Otherwise answers are stored without identity. "
                                                "The survey's page says which."))
    opens_at = DateTimeLocalField(_l("Opens"), format=LOCAL_FORMATS, validators=[Optional()],
                                  description=_l("Empty: as soon as it is published."))
    closes_at = DateTimeLocalField(_l("Closes"), format=LOCAL_FORMATS, validators=[Optional()],
                                   description=_l("Empty: until staff close it."))
    on_home = BooleanField(_l("Show this poll on the home page"))

    def values(self) -> dict:
        return {"title": self.title.data, "title_en": self.title_en.data or "",
                "intro": self.intro.data or "", "intro_en": self.intro_en.data or "",
                "access": self.access.data, "keeps_contact": self.keeps_contact.data,
                "opens_at": to_utc(self.opens_at.data), "closes_at": to_utc(self.closes_at.data),
                "on_home": self.on_home.data}


class TemplateForm(BaseForm):
    year = BoundedIntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)],
                               minimum=2000, maximum=2100)


class SectionForm(BaseForm):
    title = StringField(_l("Section title (Georgian)"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_l("Section title (English)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description (Georgian)"), validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=2000)])


class QuestionForm(BaseForm):
    section_id = SelectField(_l("Section"), coerce=db_int, validators=[InputRequired()],
                             validate_choice=True)
    kind = SelectField(_l("Kind of question"), validators=[InputRequired()], validate_choice=True,
                       choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    text = StringField(_l("Question (Georgian)"), validators=[DataRequired(), Length(max=500)])
    text_en = StringField(_l("Question (English)"), validators=[Optional(), Length(max=500)])
    help = StringField(_l("Hint (Georgian)"), validators=[Optional(), Length(max=500)])
    help_en = StringField(_l("Hint (English)"), validators=[Optional(), Length(max=500)])
    is_required = BooleanField(_l("An answer is required"))
    options = TextAreaField(_l("Options"), validators=[Optional(), Length(max=8000)],
                            description=_l("For single and multiple choice and ranking: one option "
                                           "a line, Georgian | English."))
    scale_min = BoundedIntegerField(_l("Scale from"), validators=[Optional()], minimum=0, maximum=10,
                                    default=1)
    scale_max = BoundedIntegerField(_l("Scale to"), validators=[Optional()], minimum=0, maximum=10,
                                    default=5)
    low_label = StringField(_l("Word for the low end (Georgian)"), validators=[Optional(), Length(max=100)])
    low_label_en = StringField(_l("Word for the low end (English)"), validators=[Optional(), Length(max=100)])
    high_label = StringField(_l("Word for the high end (Georgian)"), validators=[Optional(), Length(max=100)])
    high_label_en = StringField(_l("Word for the high end (English)"), validators=[Optional(), Length(max=100)])
    condition = SelectMultipleField(
        _l("Show only when an earlier answer is"), validators=[Optional()], validate_choice=True,
        description=_l("Leave empty to always show it. Answers of one question of an earlier "
                       "section; any of those chosen shows this question."))

    def set_choices(self, sections, conditions) -> None:
        self.section_id.choices = [
            SelectChoice(s.id, str(localized(s.t("title"))) or str(_l("Section %(n)s", n=n + 1)))
            for n, s in enumerate(sections)]
        self.condition.choices = [
            SelectChoice(key, f"{localized(q.t('text'))} → {localized(o)}")
            for key, q, o in conditions]

    def values(self) -> dict:
        return {"section_id": self.section_id.data, "kind": self.kind.data, "text": self.text.data,
                "text_en": self.text_en.data or "", "help": self.help.data or "",
                "help_en": self.help_en.data or "", "is_required": self.is_required.data,
                "options": self.options.data or "",
                "scale_min": 1 if self.scale_min.data is None else self.scale_min.data,
                "scale_max": 5 if self.scale_max.data is None else self.scale_max.data,
                "low_label": self.low_label.data or "", "low_label_en": self.low_label_en.data or "",
                "high_label": self.high_label.data or "", "high_label_en": self.high_label_en.data or "",
                "condition": self.condition.data or []}


class StatusForm(BaseForm):
    status = SelectField(_l("Status"), validators=[InputRequired()], validate_choice=True,
                         choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()])
