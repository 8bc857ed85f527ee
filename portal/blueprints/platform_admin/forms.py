"""Forms of the platform admin."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.tenancy.registry import SLUG_RE
from portal.web.forms import EMAIL, BaseForm
from portal.web.inputs import BoundedIntegerField


class NewTenantForm(BaseForm):
    slug = StringField(
        _l("Address name (slug)"),
        description=_l("Latin lower-case letters, digits and dashes, e.g. senaki."),
        validators=[DataRequired(), Length(max=40), Regexp(SLUG_RE, message=_l(
            "Use 2-39 lower-case Latin letters, digits or dashes, starting with a letter."))],
    )
    name_ka = StringField(_l("Name in Georgian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])


class AppointForm(BaseForm):
    email = EmailField(_l("E-mail of the new admin"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])


JOB_STATE_LABELS = {
    "running": _l("Running"), "succeeded": _l("Succeeded"), "retrying": _l("Waiting to retry"),
    "failed": _l("Failed"),
}


class JobFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter: shareable URL, changes nothing

    state = SelectField(_l("State"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any state")),
        *(SelectChoice(value, label) for value, label in JOB_STATE_LABELS.items())])
    tenant = SelectField(_l("Municipality"), validators=[Optional()],
                         choices=[SelectChoice("", _l("Every municipality and the platform"))])
    before = BoundedIntegerField(_l("Older than run"), validators=[Optional(), NumberRange(min=1)])
