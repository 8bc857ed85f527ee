"""The editors' forms: a document's description and a file (the first or a new version)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.blueprints.documents.labels import CATEGORY_LABELS, ISSUER_LABELS
from portal.blueprints.documents.services import MAX_BYTES
from portal.web.forms import BaseForm

ACCEPT = ".pdf,.docx,.odt,.xlsx,.ods"


class DocumentForm(BaseForm):
    title = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    category = SelectField(_l("Category"), choices=[SelectChoice(k, v) for k, v in CATEGORY_LABELS.items()])
    issuer = SelectField(_l("Issued by"), choices=[SelectChoice(k, v) for k, v in ISSUER_LABELS.items()])
    number = StringField(_l("Number"), validators=[Optional(), Length(max=60)],
                         description=_l("As the body numbers it, e.g. 12 or 01-245."))
    adopted_on = DateField(_l("Adopted or issued on"), validators=[DataRequired()])
    description = TextAreaField(_l("Description (Georgian)"), validators=[Optional(), Length(max=10_000)],
                                render_kw={"rows": 4})
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=10_000)],
                                   render_kw={"rows": 4})

    def values(self) -> dict:
        return {"title": self.title.data, "title_en": self.title_en.data or "",
                "category": self.category.data, "issuer": self.issuer.data,
                "number": self.number.data or "", "adopted_on": self.adopted_on.data,
                "description": self.description.data or "",
                "description_en": self.description_en.data or ""}


class VersionForm(BaseForm):
    file = FileField(_l("File"), description=_l(
        "PDF, DOCX, ODT, XLSX or ODS, at most %(size)s MB. The text inside it becomes searchable.",
        size=MAX_BYTES // (1024 * 1024)), render_kw={"accept": ACCEPT})
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=300)],
                       description=_l("For a new version: shown beside it in the list of versions."))
