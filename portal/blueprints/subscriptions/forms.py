"""The public forms: subscribe (e-mail, topics, a honeypot) and manage (topics). The
services check everything again; the forms give each field its message first."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.web.forms import EMAIL, PHONE, BaseForm


class TopicsField(SelectMultipleField):
    """Check boxes, one per topic (value ``key`` or ``key:object_id``)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ManageForm(BaseForm):
    topics = TopicsField(_l("Topics"), validate_choice=True)


class EmailManageForm(ManageForm):
    frequency = RadioField(_l("How often"), default="immediate", validate_choice=True,
                           choices=[SelectChoice("immediate", _l("Each message as it comes")),
                                    SelectChoice("daily", _l("One summary a day"))])


class SubscribeForm(EmailManageForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)],
                        description=_l("We send a link there: nothing is sent to you until "
                                       "you confirm."))
    #: The honeypot: hidden from people; a filled one is a robot, told it worked, nothing kept.
    website = StringField(_l("Leave this field empty"))


class SmsSubscribeForm(ManageForm):
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(), PHONE],
                        description=_l("We send a code there by SMS: nothing else is sent to you "
                                       "until you type it back."))
    website = StringField(_l("Leave this field empty"))


class CodeForm(BaseForm):
    code = StringField(_l("Code from the SMS"), validators=[DataRequired(), Length(max=12)])


def topic_value(key: str, object_id: int) -> str:
    return f"{key}:{object_id}" if object_id else key


def parse_topic_value(value: str) -> tuple[str, int]:
    key, _, number = value.partition(":")
    return key, int(number) if number.isdigit() and len(number) < 12 else 0
