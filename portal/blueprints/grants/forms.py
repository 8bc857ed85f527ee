"""The forms of small grants: the application (public), the report, and the staff's forms
(a new call, scores, a conflict of interest, a decision). Services check everything again;
the forms give each field its message first. The budget and spending tables are read row by
row (``read_lines``), not through WTForms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.blueprints.grants.applications import MAX_LINES, Line
from portal.blueprints.grants.files import LIMIT, MAX_FILES
from portal.blueprints.grants.money import parse_amount
from portal.web.forms import EMAIL, PHONE, BaseForm

FILES_HINT = _l("Up to %(count)s files, each up to %(size)s MB: PDF, pictures (PNG or JPEG) or "
                "text documents (ODT or DOCX).", count=MAX_FILES, size=LIMIT // (1024 * 1024))
KIND_LABELS = {"ngo": _l("A registered non-governmental organisation"),
               "group": _l("An informal initiative group")}


class ApplicationForm(BaseForm):
    applicant_kind = RadioField(_l("Who applies"), default="ngo", validators=[InputRequired()],
                                choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    organisation = StringField(_l("Name of the organisation or group"),
                               validators=[Optional(), Length(max=300)])
    registration_number = StringField(_l("Registration number (NGOs)"),
                                      validators=[Optional(), Length(max=50)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), EMAIL, Length(max=254)],
                        description=_l("The receipt and the decision are sent there."))
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), PHONE])
    title = StringField(_l("Project title"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)],
                            description=_l("A few sentences: shown publicly if the project is funded."))
    description = TextAreaField(_l("Project description"), validators=[Optional(), Length(max=20000)])
    target_groups = TextAreaField(_l("Target groups"), validators=[Optional(), Length(max=5000)])
    activities = TextAreaField(_l("Activities and timeline"),
                               validators=[Optional(), Length(max=10000)],
                               description=_l("One activity a line, with its month."))
    attachments = MultipleFileField(_l("Attachments (optional)"), description=FILES_HINT)


class ReportForm(BaseForm):
    kind = RadioField(_l("Report"), default="progress", validators=[InputRequired()],
                      choices=[SelectChoice("progress", _l("Progress report")),
                               SelectChoice("final", _l("Final report"))])
    text = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=20000)])
    photos = MultipleFileField(_l("Photos (optional)"),
                               description=_l("Up to %(count)s pictures (PNG or JPEG), each up "
                                              "to %(size)s MB.", count=MAX_FILES,
                                              size=LIMIT // (1024 * 1024)))


def read_lines(form, count: int = MAX_LINES) -> list[Line]:
    """The table's rows as typed (``item_N``, ``amount_N``), empty rows left out."""
    lines = []
    for i in range(count):
        item = " ".join((form.get(f"item_{i}") or "").split())[:300]
        typed = (form.get(f"amount_{i}") or "").strip()[:20]
        if item or typed:
            lines.append(Line(item, parse_amount(typed), typed))
    return lines


class CompetitionForm(BaseForm):
    title_ka = StringField(_l("Title (Georgian)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    aims_ka = TextAreaField(_l("Aims (Georgian)"), validators=[DataRequired(), Length(max=10000)])
    aims_en = TextAreaField(_l("Aims (English)"), validators=[Optional(), Length(max=10000)])
    allows_ngos = BooleanField(_l("Registered NGOs may apply"), default=True)
    allows_groups = BooleanField(_l("Informal initiative groups may apply"), default=True)
    currency = StringField(_l("Currency"), default="GEL",
                           validators=[DataRequired(), Regexp(r"^[A-Za-z]{3}$",
                                                              message=_l("Three letters, such as GEL or EUR."))])
    total_budget = StringField(_l("Total budget"), validators=[DataRequired()])
    min_amount = StringField(_l("Minimum per project"), validators=[DataRequired()])
    max_amount = StringField(_l("Maximum per project"), validators=[DataRequired()])
    call_opens_on = DateField(_l("Call opens on"), validators=[InputRequired()])
    deadline = DateTimeLocalField(_l("Deadline (the municipality's time)"),
                                  format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  validators=[InputRequired()])
    evaluation_until = DateField(_l("Evaluation until"), validators=[InputRequired()])
    results_on = DateField(_l("Results on"), validators=[InputRequired()])
    criteria = TextAreaField(_l("Criteria"), validators=[DataRequired(), Length(max=5000)],
                             description=_l("One a line: weight | name in Georgian | name in "
                                            "English. The weights add up to 100."))
    documents = MultipleFileField(_l("Documents (optional)"), description=FILES_HINT)
    publish = BooleanField(_l("Publish it now"), default=True,
                           description=_l("Leave unticked to keep a draft only the grants office sees."))


class ConflictForm(BaseForm):
    note = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=2000)])


class DecisionForm(BaseForm):
    decision = RadioField(_l("Decision"), validators=[InputRequired()],
                          choices=[SelectChoice("funded", _l("Funded")),
                                   SelectChoice("not_funded", _l("Not funded"))])
    amount = StringField(_l("Amount awarded"), validators=[Optional(), Length(max=20)])
    note = TextAreaField(_l("Note to the applicant (optional)"),
                         validators=[Optional(), Length(max=5000)])
