"""Forms of the municipality admin: settings (built from PROFILE_FIELDS), staff, audit filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, Regexp

from portal.blueprints.admin.profile import available_fields
from portal.web.forms import EMAIL, BaseForm
from portal.web.inputs import BoundedIntegerField, db_int
from portal.web.permissions import ROLE_LABELS

COLOUR = Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use a colour like #0b4f8a."))


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None


def profile_form_class():
    """A settings form with one field per available profile field."""
    attrs = {}
    for f in available_fields():
        checks = [DataRequired()] if f.required else [Optional()]
        filters = [_blank_to_none]
        if f.kind in ("text", "email", "url", "colour"):
            extra = [Length(max=f.max)]
            if f.kind == "colour":
                extra.append(COLOUR)
            if f.kind == "email":
                extra.append(EMAIL)
            field = StringField(f.label, validators=checks + extra, filters=filters)
        elif f.kind in ("long", "lines"):
            field = TextAreaField(f.label, validators=checks + [Length(max=f.max)], filters=filters)
        elif f.kind == "int":
            field = BoundedIntegerField(f.label, validators=[Optional(), NumberRange(min=1, max=10**9)])
        else:
            field = FloatField(f.label, validators=[Optional(), NumberRange(min=0.01, max=10**6)])
        attrs[f.name] = field
    attrs["logo"] = FileField(_l("Logo (PNG, at most 512 kB)"))
    return type("ProfileForm", (BaseForm,), attrs)


def submitted_values(form) -> dict:
    """Form data as configuration values: lines become lists, blanks become None."""
    values = {}
    for f in available_fields():
        value = form[f.name].data
        if f.kind == "lines":
            value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            if f.name == "domains":
                value = [v.lower() for v in value]
        values[f.name] = value
    return values


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _role_choices():
    return [(name, str(label)) for name, label in ROLE_LABELS.items()]


class InviteForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired(message=_l("Choose at least one role."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = _role_choices()


class RolesForm(BaseForm):
    roles = MultiCheckboxField(_l("Roles"), validators=[
        DataRequired(message=_l("Choose at least one role; to remove every role, deactivate."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = _role_choices()


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form: shareable URL, changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=60)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])


OUTBOX_STATUS_LABELS = {
    "pending": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"),
    "held": _l("Held (over the SMS budget)"), "failed": _l("Failed"),
    "bounced": _l("Refused by the recipient's server"),
    "in_doubt": _l("Unconfirmed (may have arrived)"),
}
OUTBOX_CHANNEL_LABELS = {"email": _l("E-mail"), "sms": _l("SMS")}


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter: shareable URL, changes nothing

    status = SelectField(_l("Status"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any status")),
        *(SelectChoice(value, label) for value, label in OUTBOX_STATUS_LABELS.items())])
    channel = SelectField(_l("Channel"), validators=[Optional()], choices=[
        SelectChoice("", _l("E-mail and SMS")),
        *(SelectChoice(value, label) for value, label in OUTBOX_CHANNEL_LABELS.items())])
    before = BoundedIntegerField(_l("Older than message"), validators=[Optional(), NumberRange(min=1)])


class OutboxActionForm(BaseForm):
    """Approve, retry or resend the chosen messages; ``every`` approves every held one;
    ``confirm`` is the deliberate yes that sending a message in doubt again needs."""

    ids = SelectMultipleField(_l("Messages"), coerce=db_int, validate_choice=False,
                              validators=[Optional()])
    every = HiddenField(validators=[Optional(), AnyOf(["1"])])
    confirm = BooleanField(_l("I understand that the recipients may get these messages twice"))


HTTPS_URL = Regexp(r"^https://\S+$", message=_l("Use an address that starts with https://."))


def feature_settings_form_class(settings):
    """A form with one field per setting a feature declares (``FeatureSettings.fields``)."""
    attrs = {}
    for s in settings.fields:
        checks = [DataRequired()] if s.required else [Optional()]
        hint = s.description or ""
        if s.kind == "int":
            bounds = NumberRange(min=s.min, max=s.max)
            attrs[s.name] = BoundedIntegerField(s.label, validators=checks + [bounds], description=hint)
        elif s.kind == "bool":
            attrs[s.name] = BooleanField(s.label, description=hint)
        elif s.kind == "long":
            attrs[s.name] = TextAreaField(s.label, validators=checks + [Length(max=s.max or 2000)],
                                          filters=[_blank_to_none], description=hint)
        else:
            extra = {"email": [EMAIL], "url": [HTTPS_URL]}.get(s.kind, [])
            attrs[s.name] = StringField(s.label, validators=checks + [Length(max=s.max or 200)] + extra,
                                        filters=[_blank_to_none], description=hint)
    return type(f"{settings.feature.title()}SettingsForm", (BaseForm,), attrs)


def feature_settings_values(form, settings) -> dict:
    return {s.name: form[s.name].data for s in settings.fields}


class FeatureSwitchForm(BaseForm):
    on = MultiCheckboxField(_l("Sections on the portal"), validators=[Optional()])
