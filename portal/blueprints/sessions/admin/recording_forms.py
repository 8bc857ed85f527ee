"""Forms of the clerk's recordings pages: match review, transcript lines and files, the sync."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.web.forms import BaseForm

#: Uploaded subtitle files: a three-hour sitting as SRT is about 300 kB.
MAX_TRANSCRIPT_BYTES = 2 * 1024 * 1024
TRANSCRIPT_LANGUAGES = (
    SelectChoice("ka", _l("Georgian")),
    SelectChoice("en", _l("English")),
    SelectChoice("ru", _l("Russian")),
    SelectChoice("hy", _l("Armenian")),
    SelectChoice("az", _l("Azerbaijani")),
)


def unique_ids(form: BaseForm, suffix) -> BaseForm:
    """Give the fields of one of many forms on a page their own ids (labels follow)."""
    for field in form:
        if field.type not in ("CSRFTokenField", "HiddenField"):
            field.id = f"{field.name}-{suffix}"
            field.label.field_id = field.id
    return form


class ConfirmForm(BaseForm):
    """Confirm a machine transcript (a button: only the CSRF token)."""


class MatchForm(BaseForm):
    """Link a recording to a session (or to none). The choices are set per recording."""

    session_id = SelectField(_l("Session"), validate_choice=False, validators=[Optional()])
    other = StringField(
        _l("Or another session"), validators=[Optional(), Length(max=200)],
        description=_l("Its number, or words of its title."))

    def set_choices(self, sessions, local_name) -> MatchForm:
        """``sessions`` (bodies loaded, in order) grouped by body; "no session" comes last."""
        choices = [SelectChoice("", _l("Choose a session"))]
        by_body: dict[str, list[SelectChoice]] = {}
        for s in sessions:
            group = local_name(s.body)
            label = f"{s.title} · {format_date(s.starts_at, 'medium')}"
            by_body.setdefault(group, []).append(SelectChoice(str(s.id), label, optgroup=group))
        for group in by_body.values():
            choices.extend(group)
        choices.append(SelectChoice("none", _l("No session: not a council sitting"),
                                    optgroup=str(_l("Other"))))
        self.session_id.choices = choices
        return self


class SegmentForm(BaseForm):
    text = TextAreaField(_l("Text"), validators=[
        DataRequired(message=_l("A transcript line cannot be empty.")), Length(max=5000)])
    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=200)],
                          description=_l("As the transcript names them; leave empty if unknown."))


class TranscriptUploadForm(BaseForm):
    file = FileField(_l("Subtitle file"), validators=[
        FileRequired(message=_l("Choose a file.")),
        FileSize(MAX_TRANSCRIPT_BYTES, message=_l("The file is larger than 2 MB."))],
        description=_l("WebVTT (.vtt) or SRT (.srt), UTF-8, at most 2 MB."))
    language = SelectField(_l("Language"), choices=TRANSCRIPT_LANGUAGES, default="ka")
    replace = BooleanField(_l("Replace the existing transcript, with its corrections"))


class ImportForm(BaseForm):
    url = StringField(_l("Video address"), validators=[
        DataRequired(message=_l("Paste the address of a video.")), Length(max=500)],
        description=_l("A YouTube or Facebook video, e.g. https://www.youtube.com/watch?v=…"))


class SyncNowForm(BaseForm):
    """Only the CSRF token: the button queues a sync of this municipality."""
