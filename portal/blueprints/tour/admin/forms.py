"""The editors' form of a sight: words in Georgian and English, category, the point, the
address, and an optional photo (replacing the one it has)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.blueprints.tour.labels import CATEGORY_LABELS
from portal.services.images import MAX_BYTES
from portal.web.forms import BaseForm


class SightForm(BaseForm):
    name = StringField(_l("Name (Georgian)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), choices=[SelectChoice(k, v) for k, v in CATEGORY_LABELS.items()])
    description = TextAreaField(_l("Description (Georgian)"), validators=[Optional(), Length(max=10_000)],
                                description=_l("Plain text; a blank line between paragraphs."),
                                render_kw={"rows": 6})
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=10_000)],
                                   render_kw={"rows": 6})
    location = StringField(
        _l("Location on the map"), validators=[DataRequired(), Length(max=2_000)],
        description=_l("“Latitude, longitude”, e.g. 42.1462, 41.6712 (or a GeoJSON Point)."),
        render_kw={"spellcheck": "false", "inputmode": "decimal"})
    address = TextAreaField(_l("Address and how to get there (Georgian)"),
                            validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    address_en = TextAreaField(_l("Address and how to get there (English)"),
                               validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    photo = FileField(_l("Photo"), description=_l(
        "JPEG, PNG, WebP or GIF, at most %(size)s MB; sizes for every screen are made from it, "
        "and the camera's data (place, time) is removed.", size=MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    photo_alt = StringField(_l("Photo description (Georgian)"), validators=[Optional(), Length(max=300)],
                            description=_l("What the photo shows, for people who cannot see it. "
                                           "Required with a photo."))
    photo_alt_en = StringField(_l("Photo description (English)"), validators=[Optional(), Length(max=300)])

    def __init__(self, *args, location_pair: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if location_pair and not self.is_submitted():
            self.location.data = location_pair

    def values(self) -> dict:
        return {"name": self.name.data, "name_en": self.name_en.data or "",
                "description": self.description.data or "", "description_en": self.description_en.data or "",
                "category": self.category.data or "", "location": self.location.data or "",
                "address": self.address.data or "", "address_en": self.address_en.data or ""}
