"""Forms of the staff's petition pages. Rules that need the database stay in the domain
core, which names the field an error belongs to (``errors_onto``)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.blueprints.petitions.lifecycle import REJECTION_LABELS
from portal.blueprints.petitions.models import REJECTION_REASONS
from portal.blueprints.sessions.links import ClockField, clock
from portal.web.forms import BaseForm
from portal.web.inputs import BoundedIntegerField, db_int

#: Most lines a paper sheet entry takes at once.
MAX_SHEET_LINES = 500


class ChangesForm(BaseForm):
    note = TextAreaField(_l("What the author should change"),
                         validators=[DataRequired(), Length(max=4000)])


class RejectForm(BaseForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired()])
    note = TextAreaField(_l("Note to the author"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [SelectChoice(r, str(REJECTION_LABELS[r])) for r in REJECTION_REASONS]


class VoterCountForm(BaseForm):
    voters = BoundedIntegerField(_l("Registered voters"), minimum=1, maximum=10**7,
                                 validators=[InputRequired(), NumberRange(min=1, max=10**7)])
    counted_on = DateField(_l("Counted on"), validators=[InputRequired()],
                           default=date.today)


class PaperSheetForm(BaseForm):
    rows = TextAreaField(
        _l("Signatures from the sheet"), validators=[DataRequired(), Length(max=60_000)],
        description=_l("One signature a line: the personal number (11 digits), then the full "
                       "name, separated by a comma, a tab or spaces."))


class SampleForm(BaseForm):
    percent = BoundedIntegerField(_l("Sample size (per cent of the signatures)"), minimum=1,
                                  maximum=100, default=20,
                                  validators=[InputRequired(), NumberRange(min=1, max=100)])
    seed = BoundedIntegerField(_l("Seed (empty: a new random one)"), minimum=0,
                               maximum=2**31 - 1, validators=[Optional()])


class MarkForm(BaseForm):
    signature_id = BoundedIntegerField(validators=[InputRequired()], minimum=1)
    validity = RadioField(_l("Found on the voter list"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validity.choices = [SelectChoice("valid", str(_l("valid"))),
                                 SelectChoice("invalid", str(_l("invalid")))]


def _id_or_none(value) -> int | None:
    """``coerce=`` of the archive's pickers: an id the database can hold, or None for "none"
    (whose id is whose is the domain's check, with its own message)."""
    if value in (None, "", "None"):
        return None
    return db_int(value)


class AgendaForm(BaseForm):
    session = SelectField(_l("Session of the Sakrebulo"), coerce=_id_or_none,
                          validate_choice=False, validators=[Optional()],
                          description=_l("Sessions of the archive, the newest and upcoming "
                                         "first."))

    def offer(self, sessions) -> None:
        """The sessions to choose from (``sessions.links.session_choices``)."""
        self.session.choices = [SelectChoice("", str(_l("Choose a session")))] + [
            SelectChoice(s.id, s.label) for s in sessions]


class DecisionForm(BaseForm):
    decision = TextAreaField(_l("The Sakrebulo's decision"), validators=[
        DataRequired(message=_l("Write the Sakrebulo's decision.")), Length(max=8000)])
    # Its own ids: the agenda's form may be on the same page.
    session = SelectField(_l("Session where it was discussed"), coerce=_id_or_none,
                          validate_choice=False, id="decision-session",
                          validators=[Optional()])
    segment = SelectField(_l("Line of the transcript"), coerce=_id_or_none,
                          validate_choice=False, id="decision-segment", validators=[Optional()],
                          description=_l("Where the discussion starts. Or give a time below, "
                                         "or neither."))
    time = ClockField(_l("Or a time in the recording (h:mm:ss)"), id="decision-time",
                      validators=[Optional()])

    def offer(self, sessions, lines, length: int | None = None) -> None:
        """The sessions, and the chosen session's transcript lines, to choose from; the
        recording's ``length`` in seconds, when known, is said beside the time."""
        if length:
            self.time.description = _l("The recording is %(length)s long.", length=clock(length))
        self.session.choices = [SelectChoice("", str(_l("None")))] + [
            SelectChoice(s.id, s.label) for s in sessions]
        self.segment.choices = [SelectChoice("", str(_l("No line")))] + [
            SelectChoice(line.id, line.label) for line in lines]


def parse_sheet(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, object]]]:
    """Lines of ``personal number, name`` → ([(line, number, name)], [(line, problem)]).

    Blank lines are skipped; a line without an 11-digit number first or without a name is a
    problem named by its line number."""
    rows, problems = [], []
    lines = text.splitlines()
    if len(lines) > MAX_SHEET_LINES:
        return [], [(0, _l("Enter at most %(count)d lines at once.", count=MAX_SHEET_LINES))]
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        head, _sep, rest = line.replace("\t", " ").replace(",", " ", 1).partition(" ")
        name = " ".join(rest.split())
        if not (len(head) == 11 and head.isascii() and head.isdigit()):
            problems.append((number, _l("A personal number has exactly 11 digits.")))
        elif not name:
            problems.append((number, _l("The name is missing.")))
        else:
            rows.append((number, head, name))
    return rows, problems


class BurstForm(BaseForm):
    """Invalidate one burst's signatures (``bursts.Burst.key``)."""

    burst = StringField(_l("Burst"), validators=[DataRequired(), Length(max=400)])
