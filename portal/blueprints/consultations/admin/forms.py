"""The staff's forms: a consultation (words in Georgian and English, kind, the comment period
on the municipality's clock, sections), its documents, its summary; a comment's moderation
(reject with a reason), the answer and the staff's note."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.blueprints.consultations.labels import KIND_LABELS
from portal.web.forms import BaseForm

TEXT = {"rows": 6}


class ConsultationForm(BaseForm):
    title = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    summary = TextAreaField(_l("What the draft is about (Georgian)"), validators=[Optional(), Length(max=20_000)],
                            description=_l("Plain text; a blank line between paragraphs."), render_kw=TEXT)
    summary_en = TextAreaField(_l("What the draft is about (English)"),
                               validators=[Optional(), Length(max=20_000)], render_kw=TEXT)
    opens_at = DateTimeLocalField(_l("Comments open"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()],
                                  description=_l("On the municipality's clock."))
    closes_at = DateTimeLocalField(_l("Comments close"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()],
                                   description=_l("On the municipality's clock."))
    section_lines = TextAreaField(_l("Sections"), validators=[Optional(), Length(max=30_000)],
                             description=_l("One section a line, “Georgian | English” (English optional); "
                                            "commenters can say which one they mean."),
                             render_kw={"rows": 5})

    def values(self) -> dict:
        return {"title": self.title.data, "title_en": self.title_en.data or "", "kind": self.kind.data,
                "summary": self.summary.data or "", "summary_en": self.summary_en.data or "",
                "opens_at": self.opens_at.data, "closes_at": self.closes_at.data,
                "sections": self.section_lines.data or ""}


class DocumentsForm(BaseForm):
    documents = MultipleFileField(_l("Draft documents"), description=_l(
        "PDF, ODT, DOCX, PNG or JPEG, at most 10 MB each; checked by their content."),
        render_kw={"accept": ".pdf,.odt,.docx,.png,.jpg,.jpeg"})


class OutcomeForm(BaseForm):
    outcome = TextAreaField(_l("Summary (Georgian)"), validators=[DataRequired(), Length(max=30_000)],
                            description=_l("What was received and what changed in the draft. "
                                           "Published once the comment period has ended."),
                            render_kw=TEXT)
    outcome_en = TextAreaField(_l("Summary (English)"), validators=[Optional(), Length(max=30_000)], render_kw=TEXT)


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Why it is rejected"), validators=[DataRequired(), Length(max=2_000)],
                           description=_l("Seen by staff only."), render_kw={"rows": 3})


class AnswerForm(BaseForm):
    answer = TextAreaField(_l("The municipality's answer"), validators=[DataRequired(), Length(max=5_000)],
                           description=_l("Published under the comment and e-mailed to the commenter."),
                           render_kw={"rows": 5})


class NoteForm(BaseForm):
    note = TextAreaField(_l("Staff note"), validators=[Optional(), Length(max=5_000)],
                         description=_l("Never published."), render_kw={"rows": 3})
