"""The editors' forms: a project (words in Georgian and English, place, money, dates,
status) and an update of its timeline (date, words, an optional photo)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.blueprints.projects.labels import STATUS_LABELS
from portal.services.images import MAX_BYTES
from portal.web.forms import BaseForm
from portal.web.inputs import BoundedIntegerField

AMOUNT = [Optional(), NumberRange(min=0, max=10_000_000_000)]


class ProjectForm(BaseForm):
    title = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description (Georgian)"), validators=[Optional(), Length(max=20_000)],
                                description=_l("Plain text; a blank line between paragraphs."),
                                render_kw={"rows": 6})
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=20_000)],
                                   render_kw={"rows": 6})
    location = TextAreaField(
        _l("Location on the map"), validators=[DataRequired(), Length(max=50_000)],
        description=_l("One “latitude, longitude” pair a line (one line: a point; several: a line "
                       "through them), or a GeoJSON Point or LineString."),
        render_kw={"rows": 4, "spellcheck": "false"})
    place = StringField(_l("Place in words (Georgian)"), validators=[DataRequired(), Length(max=300)],
                        description=_l("A street, a section from one landmark to another: what "
                                       "readers without the map need."))
    place_en = StringField(_l("Place in words (English)"), validators=[Optional(), Length(max=300)])
    unit = SelectField(_l("Administrative unit"), choices=[], validators=[Optional()])
    contractor = StringField(_l("Contractor"), validators=[Optional(), Length(max=300)])
    budget = DecimalField(_l("Budget (GEL)"), places=2, validators=AMOUNT,
                          render_kw={"inputmode": "decimal"})
    spent = DecimalField(_l("Spent so far (GEL)"), places=2, validators=AMOUNT,
                         render_kw={"inputmode": "decimal"})
    starts_on = DateField(_l("Start"), validators=[Optional()])
    ends_on = DateField(_l("Planned end"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()])
    percent_complete = BoundedIntegerField(_l("Per cent complete"), minimum=0, maximum=100,
                                           validators=[Optional(), NumberRange(min=0, max=100)])

    def __init__(self, *args, units=(), project=None, place_pairs: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = [SelectChoice("", _l("Whole municipality")),
                             *(SelectChoice(value, label) for value, label in units)]
        if project is not None and not self.is_submitted():
            self.budget.data = project.budget_minor / 100
            self.spent.data = project.spent_minor / 100
            self.location.data = place_pairs

    def values(self) -> dict:
        return {"title": self.title.data, "title_en": self.title_en.data or "",
                "description": self.description.data or "", "description_en": self.description_en.data or "",
                "location": self.location.data or "", "place": self.place.data or "",
                "place_en": self.place_en.data or "", "unit": self.unit.data or "",
                "contractor": self.contractor.data or "", "budget": self.budget.data,
                "spent": self.spent.data, "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
                "status": self.status.data, "percent_complete": self.percent_complete.data}


class UpdateForm(BaseForm):
    happened_on = DateField(_l("Date"), validators=[DataRequired()])
    body = TextAreaField(_l("What happened (Georgian)"), validators=[DataRequired(), Length(max=5_000)],
                         render_kw={"rows": 4})
    body_en = TextAreaField(_l("What happened (English)"), validators=[Optional(), Length(max=5_000)],
                            render_kw={"rows": 4})
    photo = FileField(_l("Photo"), description=_l(
        "JPEG, PNG, WebP or GIF, at most %(size)s MB; sizes for every screen are made from it, "
        "and the camera's data (place, time) is removed.", size=MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    photo_alt = StringField(_l("Photo description (Georgian)"), validators=[Optional(), Length(max=300)],
                            description=_l("What the photo shows, for people who cannot see it. "
                                           "Required with a photo."))
    photo_alt_en = StringField(_l("Photo description (English)"), validators=[Optional(), Length(max=300)])
