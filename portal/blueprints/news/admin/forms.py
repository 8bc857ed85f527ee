"""The editors' forms: an item (words in Georgian and English, body, category, image, time)
and a category. Times are typed in the municipality's zone and converted here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.blueprints.news.images import MAX_BYTES
from portal.i18n import local_name, to_local, to_utc
from portal.web.forms import BaseForm
from portal.web.inputs import BoundedIntegerField

#: What <input type="datetime-local"> sends (the first is also how a value is written back).
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
BODY_TEXT_HINT = _l("Without the editor: plain text, a blank line between paragraphs.")


class ItemForm(BaseForm):
    title = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    body_kind = SelectField(_l("Whose news"), choices=[])
    category_id = SelectField(_l("Category"), choices=[], validators=[Optional()])
    summary = TextAreaField(_l("Summary (Georgian)"), validators=[Optional(), Length(max=600)],
                            description=_l("One or two sentences for the list, feeds and link previews."))
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Optional(), Length(max=600)])
    body = TextAreaField(_l("Text (Georgian)"), validators=[Optional(), Length(max=200_000)],
                         description=BODY_TEXT_HINT, render_kw={"rows": 14, "data-rich-text": ""})
    body_en = TextAreaField(_l("Text (English)"), validators=[Optional(), Length(max=200_000)],
                            description=BODY_TEXT_HINT, render_kw={"rows": 10, "data-rich-text": ""})
    image = FileField(_l("Main image"), description=_l(
        "JPEG, PNG, WebP or GIF, at most %(size)s MB; sizes for every screen are made from it, "
        "and the camera's data (place, time) is removed.", size=MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    image_alt = StringField(
        _l("Image description (Georgian)"), validators=[Optional(), Length(max=300)],
        description=_l("What the image shows, for people who cannot see it. Required with an image."))
    image_alt_en = StringField(_l("Image description (English)"), validators=[Optional(), Length(max=300)])
    remove_image = BooleanField(_l("Remove the image"))
    publish_at = DateTimeLocalField(_l("Publication time"), format=LOCAL_FORMATS, validators=[Optional()],
                                    description=_l("Empty: now. A later time schedules the item."))

    def __init__(self, *args, categories=(), body_labels=None, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_kind.choices = [(k, str(v)) for k, v in (body_labels or {}).items()]
        self.category_id.choices = [("", str(_l("No category")))] + [
            (str(c.id), str(local_name(c))) for c in categories]
        if item is not None and not self.is_submitted():
            self.category_id.data = str(item.category_id or "")
            self.publish_at.data = to_local(item.publish_at)

    def values(self) -> dict:
        return {"title": self.title.data, "title_en": self.title_en.data or "",
                "summary": self.summary.data or "", "summary_en": self.summary_en.data or "",
                "body": self.body.data or "", "body_en": self.body_en.data or "",
                "body_kind": self.body_kind.data,
                "category_id": int(self.category_id.data) if self.category_id.data else None}

    def publish_time(self):
        return to_utc(self.publish_at.data)


class CategoryForm(BaseForm):
    name_ka = StringField(_l("Name (Georgian)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=120)])
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Latin letters, digits and hyphens; used in the category's feed."))
    position = BoundedIntegerField(_l("Order in lists"), validators=[Optional()], minimum=0, maximum=1000)
