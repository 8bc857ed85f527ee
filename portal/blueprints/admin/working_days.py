"""The municipality's own working days (``services/working_days``): days off the law does
not list (a government decree), or days that are working ones after all. Deadlines counted in
working days (letters' answer periods) follow them from the next letter on."""

from __future__ import annotations

from datetime import date

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.blueprints.admin import bp
from portal.db import utcnow
from portal.i18n import to_local
from portal.services import audit, working_days
from portal.web.forms import BaseForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import saved


class DayForm(BaseForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    kind = SelectField(_l("This day is"), validators=[InputRequired()], validate_choice=True,
                       choices=[SelectChoice("off", _l("a day off")),
                                SelectChoice("working", _l("a working day"))])
    note = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=200)])


class RemoveForm(BaseForm):
    day = DateField(validators=[InputRequired()])


def _page(form=None, status=200):
    year = to_local(utcnow()).year
    holidays = [(day, name) for y in (year, year + 1)
                for day, name in sorted(working_days.public_holidays(y).items())]
    return render("admin/working_days.html", status=status, form=form or DayForm(formdata=None),
                  days=working_days.listed(), holidays=holidays, year=year)


@bp.get("/settings/working-days")
@requires("settings.edit")
def working_days_page():
    return _page()


@bp.post("/settings/working-days")
@requires("settings.edit")
def working_days_set():
    form = DayForm()
    if form.validate_on_submit():
        day: date = form.day.data
        working = form.kind.data == "working"
        working_days.set_exception(day, working, form.note.data or "")
        audit.record("working_days.set", target=f"day:{day.isoformat()}",
                     after={"working": working, "note": form.note.data or ""})
        return saved(_("The day is saved."), url_for("admin.working_days_page"))
    return _page(form, status=422)


@bp.post("/settings/working-days/remove")
@requires("settings.edit")
def working_days_remove():
    form = RemoveForm(request.form)
    if form.validate_on_submit():
        working_days.remove_exception(form.day.data)
        audit.record("working_days.removed", target=f"day:{form.day.data.isoformat()}")
        return saved(_("The day follows the law's calendar again."), url_for("admin.working_days_page"))
    return _page(status=422)
