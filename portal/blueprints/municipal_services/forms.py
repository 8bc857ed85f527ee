"""Forms of municipal services: the applicant's (contacts, a service's own questions, a time
of the calendar, the status look-up, documents sent later) and the staff's (catalogue,
department calendar, form questions, steps of a request). The services check again."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.blueprints.municipal_services.lifecycle import ACTION_LABELS
from portal.blueprints.municipal_services.models import FIELD_KINDS, WEEKDAYS, ServiceField
from portal.i18n import localized
from portal.web.forms import EMAIL, PHONE, BaseForm
from portal.web.inputs import BoundedIntegerField, db_int

NUMBER = Regexp(r"^-?\d{1,12}([.,]\d{1,4})?$", message=_l("Enter a number."))


class ContactsForm(BaseForm):
    full_name = StringField(_l("First and last name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail (optional if you give a phone)"),
                        validators=[Optional(), EMAIL, Length(max=254)],
                        description=_l("We send the confirmation code and news of your request "
                                       "there."))
    phone = StringField(_l("Mobile phone (optional if you give an e-mail)"),
                        validators=[Optional(), PHONE],
                        description=_l("We send the confirmation code and a reminder by SMS."))
    #: The honeypot: hidden from people; a filled one is a robot.
    website = StringField(_l("Leave this field empty"))

    def validate(self, extra_validators=None) -> bool:
        # Not an inline ``validate_email``: Optional() stops the field's chain on an empty
        # e-mail, so the message would never show beside the form's other messages.
        valid = super().validate(extra_validators)
        if not (self.email.data or "").strip() and not (self.phone.data or "").strip():
            self.email.errors = [*self.email.errors, str(_l("Give an e-mail address or a mobile phone "
                                                            "number, or both."))]
            return False
        return valid


class BookForm(ContactsForm):
    slot = RadioField(_l("Time"), validators=[InputRequired(message=_l("Choose a time."))],
                      validate_choice=False)


class MoveForm(BaseForm):
    slot = RadioField(_l("New time"), validators=[InputRequired(message=_l("Choose a time."))],
                      validate_choice=False)


class LookupForm(BaseForm):
    code = StringField(_l("Confirmation code"), validators=[DataRequired(), Length(max=20)],
                       description=_l("Ten letters and digits, as in the message: ABCDE-12345."))
    contact = StringField(_l("E-mail or mobile phone"), validators=[DataRequired(), Length(max=254)],
                          description=_l("The one you gave when applying or booking."))


class DocumentsForm(BaseForm):
    documents = MultipleFileField(
        _l("Documents"), description=_l("PDF, pictures (PNG or JPEG) or text documents (ODT or "
                                        "DOCX), each up to 5 MB."))


def field_name(field: ServiceField) -> str:
    return f"field_{field.id}"


def _choices(field: ServiceField) -> list[SelectChoice]:
    options = []
    for line in (field.choices or "").splitlines():
        ka, _, en = line.partition("|")
        if ka.strip():
            options.append(SelectChoice(ka.strip(), localized({"ka": ka.strip(), "en": en.strip()})))
    return options


def application_form(fields: list[ServiceField], formdata=None, **values) -> ContactsForm:
    """The contacts plus the service's own questions, as ``field_<id>``."""

    class ApplicationForm(ContactsForm):
        pass

    for field in fields:
        label = localized(field.text("label"))
        required = [DataRequired()] if field.is_required else [Optional()]
        if field.kind == "textarea":
            made = TextAreaField(label, validators=[*required, Length(max=5000)])
        elif field.kind == "number":
            made = StringField(label, validators=[*required, NUMBER], render_kw={"inputmode": "decimal"})
        elif field.kind == "date":
            made = StringField(label, validators=[*required, Regexp(r"^\d{4}-\d{2}-\d{2}$",
                               message=_l("Enter a date as YYYY-MM-DD."))], render_kw={"type": "date"})
        elif field.kind == "choice":
            made = SelectField(label, validators=required, validate_choice=True,
                               choices=[SelectChoice("", _l("— choose —")), *_choices(field)])
        elif field.kind == "checkbox":
            made = BooleanField(label, validators=[InputRequired()] if field.is_required else [])
        elif field.kind == "file":
            made = FileField(label, description=_l("PDF, pictures (PNG or JPEG) or text documents "
                                                   "(ODT or DOCX), up to 5 MB."))
        else:
            made = StringField(label, validators=[*required, Length(max=500)])
        setattr(ApplicationForm, field_name(field), made)
    return ApplicationForm(formdata=formdata, **values)


def answer_text(field: ServiceField, answers: dict) -> str:
    """The answer kept for ``field``, as the reader should see it: a choice by its label in
    the current language (the Georgian option is what is kept), a tick box as yes or no."""
    from flask_babel import gettext as _

    value = (answers or {}).get(str(field.id), "")
    if field.kind == "checkbox":
        return _("Yes") if value else _("No")
    if field.kind == "choice":
        for option in _choices(field):
            if option.value == value:
                return str(option.label)
    return value or "—"


def answers_of(form, fields: list[ServiceField]) -> dict[str, str]:
    """The answers to keep, by field id (files are kept apart)."""
    answers = {}
    for field in fields:
        if field.kind == "file":
            continue
        value = form[field_name(field)].data
        if field.kind == "checkbox":
            value = "1" if value else ""
        answers[str(field.id)] = str(value or "").strip()[:5000]
    return answers


def valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- staff ----------------------------------------------------------------------------------

MODE_LABELS = {"application": _l("Online application"), "appointment": _l("Appointment")}
KIND_LABELS = {"text": _l("Short text"), "textarea": _l("Long text"), "number": _l("Number"),
               "date": _l("Date"), "choice": _l("Choice from a list"), "checkbox": _l("Tick box"),
               "file": _l("File upload")}
WEEKDAY_LABELS = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"),
                  "thu": _l("Thursday"), "fri": _l("Friday"), "sat": _l("Saturday"),
                  "sun": _l("Sunday")}


class ServiceForm(BaseForm):
    title_ka = StringField(_l("Name (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=300)])
    department_id = SelectField(_l("Responsible department"), coerce=db_int,
                                validators=[InputRequired()], validate_choice=True)
    mode = RadioField(_l("How citizens ask for it"), validators=[InputRequired()],
                      choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()], default="application")
    is_published = BooleanField(_l("Shown in the public catalogue"), default=True)
    summary_ka = TextAreaField(_l("What it is (Georgian)"), validators=[Optional(), Length(max=5000)])
    summary_en = TextAreaField(_l("What it is (English)"), validators=[Optional(), Length(max=5000)])
    eligibility_ka = TextAreaField(_l("Who can apply (Georgian)"), validators=[Optional(), Length(max=3000)])
    eligibility_en = TextAreaField(_l("Who can apply (English)"), validators=[Optional(), Length(max=3000)])
    documents_ka = TextAreaField(_l("Documents needed (Georgian, one per line)"),
                                 validators=[Optional(), Length(max=3000)])
    documents_en = TextAreaField(_l("Documents needed (English, one per line)"),
                                 validators=[Optional(), Length(max=3000)])
    fee_tetri = BoundedIntegerField(_l("Fee in tetri (0: free of charge)"), minimum=0, maximum=100_000_000,
                                    validators=[InputRequired()], default=0)
    delivery_days = BoundedIntegerField(_l("Time to deliver, in working days (0: on the spot)"),
                                        minimum=0, maximum=365, validators=[InputRequired()], default=0)
    legal_basis_ka = TextAreaField(_l("Legal basis (Georgian)"), validators=[Optional(), Length(max=2000)])
    legal_basis_en = TextAreaField(_l("Legal basis (English)"), validators=[Optional(), Length(max=2000)])

    def values(self) -> dict:
        return {name: (getattr(self, name).data.strip() if isinstance(getattr(self, name).data, str)
                       else getattr(self, name).data)
                for name in ("department_id", "mode", "is_published", "title_ka", "title_en",
                             "summary_ka", "summary_en", "eligibility_ka", "eligibility_en",
                             "documents_ka", "documents_en", "fee_tetri", "delivery_days",
                             "legal_basis_ka", "legal_basis_en")} | {
            "is_published": bool(self.is_published.data)}


class DepartmentForm(BaseForm):
    name_ka = StringField(_l("Name (Georgian)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    place_ka = StringField(_l("Where to come (Georgian)"), validators=[Optional(), Length(max=300)])
    place_en = StringField(_l("Where to come (English)"), validators=[Optional(), Length(max=300)])
    slot_minutes = BoundedIntegerField(_l("Length of a slot, in minutes"), minimum=5, maximum=240,
                                       validators=[InputRequired()], default=30)
    slot_capacity = BoundedIntegerField(_l("People received at once (places per slot)"), minimum=1,
                                        maximum=50, validators=[InputRequired()], default=1)
    days_ahead = BoundedIntegerField(_l("Days ahead one may book"), minimum=1, maximum=120,
                                     validators=[InputRequired()], default=21)


HOURS_HINT = _l("Like 09:00-13:00; empty: closed. Public holidays and the municipality's days "
                "off are closed anyway.")
for _day in WEEKDAYS:
    setattr(DepartmentForm, _day, StringField(WEEKDAY_LABELS[_day], validators=[Optional(), Length(max=20)],
                                              description=HOURS_HINT if _day == "mon" else None))


class FieldForm(BaseForm):
    label_ka = StringField(_l("Question (Georgian)"), validators=[DataRequired(), Length(max=300)])
    label_en = StringField(_l("Question (English)"), validators=[Optional(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"), validators=[InputRequired()], validate_choice=True,
                       choices=[SelectChoice(k, KIND_LABELS[k]) for k in FIELD_KINDS])
    choices = TextAreaField(_l("Options of a choice, one per line: ქართული | English"),
                            validators=[Optional(), Length(max=3000)])
    is_required = BooleanField(_l("An answer is required"))


class StepForm(BaseForm):
    status = SelectField(_l("Step"), validators=[InputRequired()], validate_choice=True)
    message = TextAreaField(_l("Message to the applicant"), validators=[Optional(), Length(max=5000)],
                            description=_l("Needed when asking for documents or refusing; sent by "
                                           "e-mail or SMS and shown on the request's page."))

    def set_steps(self, steps) -> None:
        self.status.choices = [SelectChoice(s, ACTION_LABELS[s]) for s in steps]
