"""The broadcast form: a topic, the words, the channels. Previewed by GET (nothing changes),
sent by POST with ``confirmed``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.web.forms import BaseForm

#: An SMS of at most two segments in Latin letters (GSM-7: 153 characters each).
SMS_MAX = 306


class BroadcastForm(BaseForm):
    topic = SelectField(_l("Topic"), validate_choice=True)
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Announcement"), validators=[DataRequired(), Length(max=5000)])
    by_email = BooleanField(_l("Send by e-mail"), default=True)
    by_sms = BooleanField(_l("Send by SMS to subscribers of topics that allow it"))
    sms_text = TextAreaField(_l("SMS text (short; Georgian is sent in Latin letters)"),
                             validators=[Optional(), Length(max=SMS_MAX)])
    send_at = DateTimeLocalField(_l("Send at (optional)"), validators=[Optional()],
                                 format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
                                 description=_l("Empty: now. A later time schedules it."))
    confirmed = HiddenField()

    def send_time(self):
        from portal.i18n import to_utc

        return to_utc(self.send_at.data)

    def channels(self) -> str:
        wanted = (["email"] if self.by_email.data else []) + (["sms"] if self.by_sms.data else [])
        return ",".join(wanted)
