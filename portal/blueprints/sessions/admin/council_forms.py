"""Forms of the clerk's council pages: sessions, agenda, documents, attendance, bodies, members.

Times are typed in the municipality's own time zone and converted here (``portal.i18n.to_utc`` /
``to_local``); services only ever see aware datetimes. Uniqueness and the other rules that need
the database live in the services, which name the field an error belongs to.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.i18n import local_name, to_local, to_utc
from portal.web.forms import EMAIL, BaseForm
from portal.web.inputs import BoundedIntegerField, db_int, parse_int

STATUS_LABELS = {"scheduled": _l("Scheduled"), "live": _l("Live now"), "held": _l("Held"),
                 "cancelled": _l("Cancelled")}
KIND_LABELS = {"regular": _l("Regular session"), "extraordinary": _l("Extraordinary session"),
               "committee": _l("Committee meeting"), "hearing": _l("Hearing")}
DOCUMENT_LABELS = {"agenda": _l("Agenda"), "minutes": _l("Minutes"), "decision": _l("Decision"),
                   "other": _l("Other document")}
BODY_KIND_LABELS = {"council": _l("Sakrebulo (the council)"), "committee": _l("Committee")}
ATTENDANCE_LABELS = {"present": _l("present"), "absent": _l("absent"), "excused": _l("excused")}
#: What <input type="datetime-local"> sends (the first is also how a value is written back).
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
CLOCK = re.compile(r"^(?:(?:(\d{1,2}):)?([0-5]?\d):)?([0-5]?\d)$", re.ASCII)


def _options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, str(label)) for value, label in pairs]


def _choices(labels: dict) -> list[SelectChoice]:
    return _options(labels.items())


class ClockField(StringField):
    """A position in a recording typed as 1:02:03, 62:03 or 3723; ``data`` is seconds."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        seconds = parse_int(self.raw, maximum=99_999)
        if seconds is not None:
            self.data = seconds
            return
        match = CLOCK.match(self.raw) if len(self.raw) <= 12 else None
        if not match:
            raise ValueError(_l("Write the time as h:mm:ss, m:ss or seconds."))
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        self.data = hours * 3600 + minutes * 60 + seconds

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        from portal.blueprints.sessions.recordings.player import clock

        return clock(self.data)


class SessionFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter: shareable URL, changes nothing

    body = SelectField(_l("Body"), coerce=db_int, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    year = SelectField(_l("Year"), coerce=db_int, validators=[Optional()])

    def __init__(self, *args, bodies=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.body.choices = _options([(0, _l("All bodies"))] + [(b.id, local_name(b)) for b in bodies])
        self.status.choices = _options([("", _l("Any status")), *STATUS_LABELS.items()])
        self.year.choices = _options([(0, _l("Any year"))] + [(y, y) for y in years])


class SessionForm(BaseForm):
    body_id = SelectField(_l("Body"), coerce=db_int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[])
    status = SelectField(_l("Status"), choices=[])
    starts_at = DateTimeLocalField(
        _l("Starts"), description=_l("Local time in the municipality."), format=LOCAL_FORMATS,
        validators=[InputRequired(message=_l("Enter the date and time the session starts."))])
    ends_at = DateTimeLocalField(_l("Ends (optional)"), format=LOCAL_FORMATS,
                                 validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.body_id.choices = _options((b.id, local_name(b)) for b in bodies)
        self.kind.choices = _choices(KIND_LABELS)
        self.status.choices = _choices(STATUS_LABELS)

    def values(self) -> dict:
        """The submitted values as ``services.update_session`` takes them."""
        return {"body_id": self.body_id.data, "title": self.title.data or "",
                "kind": self.kind.data, "status": self.status.data,
                "starts_at": to_utc(self.starts_at.data), "ends_at": to_utc(self.ends_at.data),
                "place": self.place.data or "", "description": self.description.data or ""}


def session_form_data(session) -> dict:
    return {"body_id": session.body_id, "title": session.title, "kind": session.kind,
            "status": session.status, "starts_at": to_local(session.starts_at),
            "ends_at": to_local(session.ends_at), "place": session.place,
            "description": session.description}


class AgendaItemForm(BaseForm):
    title = TextAreaField(_l("Agenda item"), validators=[DataRequired(), Length(max=2000)])
    reporter_id = SelectField(_l("Reporter"), coerce=db_int, validators=[Optional()])
    start = ClockField(
        _l("Starts in the recording at"),
        description=_l("Optional: h:mm:ss, m:ss or seconds, for the “play from here” link."),
        validators=[Optional()])

    def __init__(self, *args, members=(), **kwargs):
        kwargs.setdefault("prefix", "agenda")  # field ids stay unique beside the session form
        super().__init__(*args, **kwargs)
        self.reporter_id.choices = _options([(0, _l("— nobody —"))]
                                            + [(m.id, local_name(m)) for m in members])

    def validate_start(self, field):
        if field.data is not None and field.data > 24 * 3600:
            raise ValidationError(_l("The start must lie within the first 24 hours of the recording."))


class DocumentForm(BaseForm):
    kind = SelectField(_l("Kind of document"), choices=[])
    title = StringField(_l("Title"), description=_l("Optional: the file name is used otherwise."),
                        validators=[Optional(), Length(max=300)])
    file = FileField(_l("File"),
                     description=_l("PDF, Word (.docx) or a text file (txt, html, vtt, srt), "
                                    "at most 10 MB."),
                     validators=[FileRequired(message=_l("Choose a file to upload."))])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(DOCUMENT_LABELS)


def attendance_form(roster, formdata=None):
    """One radio group per member of the roster (``m<member id>``), filled with the recorded
    status; a group left empty leaves the member unrecorded."""

    class AttendanceForm(BaseForm):
        pass

    for member, _status in roster:
        setattr(AttendanceForm, f"m{member.id}", RadioField(
            local_name(member), choices=_choices(ATTENDANCE_LABELS), validators=[Optional()]))
    data = {f"m{member.id}": status for member, status in roster}
    return AttendanceForm(formdata=formdata, data=data) if formdata is not None \
        else AttendanceForm(data=data)


class BodyForm(BaseForm):
    slug = StringField(_l("Address (slug)"),
                       description=_l("Part of the public page's address, e.g. finance."),
                       validators=[DataRequired(), Length(max=60)])
    name_ka = StringField(_l("Name in Georgian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    position = BoundedIntegerField(_l("Position in lists"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=999)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(BODY_KIND_LABELS)


class MemberForm(BaseForm):
    slug = StringField(_l("Address (slug)"),
                       description=_l("Part of the public page's address, e.g. nino-beridze."),
                       validators=[DataRequired(), Length(max=80)])
    name_ka = StringField(_l("Name in Georgian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])
    party = StringField(_l("Party"), validators=[Optional(), Length(max=200)])
    faction = StringField(_l("Faction"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("Public e-mail"), validators=[Optional(), EMAIL, Length(max=200)])
    phone = StringField(_l("Public phone"), validators=[Optional(), Length(max=50)])
    speaker_label = StringField(
        _l("Name in transcripts"),
        description=_l("How transcripts name this member, so their lines link to this page."),
        validators=[Optional(), Length(max=200)])
    term_start = DateField(_l("Term starts"), validators=[Optional()])
    term_end = DateField(_l("Term ends"), validators=[Optional()])
    activity_report = TextAreaField(
        _l("Activity report"), description=_l("Plain text, shown on the member's public page."),
        validators=[Optional(), Length(max=20000)])
    photo = FileField(_l("Photo"), description=_l("PNG or JPEG, at most 2 MB."))
    remove_photo = BooleanField(_l("Remove the photo"))

    def values(self) -> dict:
        return {name: self[name].data for name in (
            "slug", "name_ka", "name_en", "party", "faction", "email", "phone", "speaker_label",
            "term_start", "term_end", "activity_report")}


class MembershipForm(BaseForm):
    body_id = SelectField(_l("Body"), coerce=db_int, validators=[DataRequired()])
    role = StringField(_l("Role"), description=_l("Optional, e.g. chair of the committee."),
                       validators=[Optional(), Length(max=100)])
    starts_on = DateField(_l("From"), validators=[DataRequired(message=_l("Enter the first day of the seat."))])
    ends_on = DateField(_l("To (optional)"), validators=[Optional()])

    def __init__(self, *args, bodies=(), **kwargs):
        kwargs.setdefault("prefix", "seat")
        super().__init__(*args, **kwargs)
        self.body_id.choices = _options((b.id, local_name(b)) for b in bodies)


class EndMembershipForm(BaseForm):
    ends_on = DateField(_l("Last day"), validators=[DataRequired(message=_l("Enter the last day of the seat."))])

