"""The inbox of one recipient and a letter's page: assign, note, move, answer, withhold.

Every action is a POST form (works without JavaScript, PRG with 303), audited by the domain
core (``lifecycle``); opening a letter, and downloading one of its attachments, is logged as a
read of personal data.
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.accounts.queries import staff_of_current_tenant
from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.letters import attachments, lifecycle, queries
from portal.blueprints.letters.admin import INBOXES
from portal.blueprints.letters.admin.forms import (
    AssignForm,
    NoteForm,
    PublicationForm,
    ReplyForm,
    StatusForm,
)
from portal.blueprints.letters.models import STATUSES, Letter
from portal.blueprints.letters.settings import departments
from portal.db import utcnow, writes_on_read
from portal.extensions import db, get_or_404
from portal.i18n import to_local
from portal.services import audit
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PER_PAGE = 25
LABELS = {"status_labels": lifecycle.STATUS_LABELS, "recipient_labels": lifecycle.RECIPIENT_LABELS,
          "feedback_labels": lifecycle.FEEDBACK_LABELS}


def _today():
    return to_local(utcnow()).date()


def _people() -> list[tuple[int, str]]:
    return [(user.id, user.name or user.email) for user, _roles in staff_of_current_tenant()]


def install(bp, recipient: str, permission: str) -> None:
    """Attach the inbox's routes to ``bp`` (one blueprint per recipient)."""
    here = bp.name

    def load(letter_id: int) -> Letter:
        letter = get_or_404(Letter, letter_id)
        if letter.recipient != recipient:
            abort(404)
        return letter

    def page(letter: Letter, *, status: int = 200, **forms):
        people = _people()
        assign = forms.get("assign_form") or AssignForm(
            formdata=None, department=letter.department, assignee_id=letter.assignee_id or 0)
        assign.set_choices(people, departments())
        forms["assign_form"] = assign
        forms.setdefault("note_form", NoteForm(formdata=None))
        # The first step the letter can take, not the first status of all (often its own).
        forms.setdefault("status_form", StatusForm(
            formdata=None, status=next(iter(lifecycle.TRANSITIONS[letter.status]), None)))
        forms.setdefault("reply_form", ReplyForm(formdata=None))
        return render("letters/admin/letter.html", status=status, letter=letter, here=here,
                      recipient=recipient, events=queries.events(letter),
                      attachments=attachments.of_letter(letter),
                      download_url=lambda a: url_for(f"{here}.attachment", letter_id=letter.id,
                                                     attachment_id=a.id),
                      people=dict(people), departments=departments(),
                      overdue=lifecycle.is_overdue(letter, _today()),
                      next_statuses=lifecycle.TRANSITIONS[letter.status], **forms, **LABELS)

    def index():
        status = request.args.get("status", "")
        if status not in (*STATUSES, *queries.GROUPS):
            status = ""
        assignee = request.args.get("assignee", "")
        q = (request.args.get("q") or "").strip()[:100]
        statement = queries.inbox(recipient, today=_today(), status=status, q=q,
                                  unassigned=assignee == "none",
                                  assignee_id=int_arg("assignee", None, minimum=1))
        rows = paginate(statement, page_arg(), PER_PAGE)
        return render("letters/admin/index.html", block="results", rows=rows, here=here,
                      recipient=recipient, current=status, assignee=assignee, q=q,
                      statuses=STATUSES, groups=queries.GROUPS, people=_people(),
                      today=_today(), **LABELS)

    def letter(letter_id: int):
        found = load(letter_id)
        audit.record_read("letter", target=f"letter:{found.id}")
        db.session.commit()
        return page(found)

    def attachment(letter_id: int, attachment_id: int):
        found = attachments.one_of(load(letter_id), attachment_id)
        if found is None:
            abort(404)
        audit.record_read("letter_attachment", target=f"letter:{letter_id}/attachment:{found.id}")
        db.session.commit()
        return attachments.download(found)

    def assign(letter_id: int):
        found = load(letter_id)
        form = AssignForm()
        form.set_choices(_people(), departments())
        if form.validate_on_submit():
            with refusals_onto(form):
                lifecycle.assign(found, department=form.department.data or "",
                                 assignee_id=form.assignee_id.data or None)
                return saved(_("The letter is assigned."), url_for(f"{here}.letter", letter_id=found.id))
        return page(found, status=422, assign_form=form)

    def note(letter_id: int):
        found = load(letter_id)
        form = NoteForm()
        if form.validate_on_submit():
            with refusals_onto(form):
                lifecycle.add_note(found, form.text.data)
                return saved(_("The note is added."), url_for(f"{here}.letter", letter_id=found.id))
        return page(found, status=422, note_form=form)

    def move(letter_id: int):
        found = load(letter_id)
        form = StatusForm()
        if form.validate_on_submit():
            with refusals_onto(form):
                lifecycle.move(found, form.status.data, note=form.note.data or "",
                               forwarded_to=form.forwarded_to.data or "")
                return saved(_("The status is changed."), url_for(f"{here}.letter", letter_id=found.id))
        return page(found, status=422, status_form=form)

    def reply(letter_id: int):
        found = load(letter_id)
        form = ReplyForm()
        if form.validate_on_submit():
            with refusals_onto(form):
                lifecycle.reply(found, form.text.data)
                return saved(_("The answer is sent to the writer."),
                             url_for(f"{here}.letter", letter_id=found.id))
        return page(found, status=422, reply_form=form)

    def publication(letter_id: int):
        found = load(letter_id)
        form = PublicationForm()
        if form.validate_on_submit():
            lifecycle.set_withheld(found, form.withheld.data == "1")
            return saved(_("Publication is changed."), url_for(f"{here}.letter", letter_id=found.id))
        return page(found, status=422)

    guard = requires(permission)
    bp.add_url_rule("/", "index", guard(index))
    bp.add_url_rule("/<int:letter_id>", "letter", guard(writes_on_read(letter)))
    bp.add_url_rule("/<int:letter_id>/attachments/<int:attachment_id>", "attachment",
                    guard(writes_on_read(attachment)))
    for name, view in (("assign", assign), ("note", note), ("move", move), ("reply", reply),
                       ("publication", publication)):
        bp.add_url_rule(f"/<int:letter_id>/{name}", name, guard(view), methods=["POST"])

    def panel(user) -> DashboardPanel:
        new, late = queries.counts(recipient, _today())
        return DashboardPanel(new + late, [
            DashboardItem(_("New letters: %(count)s", count=new), url_for(f"{here}.index", status="received")),
            DashboardItem(_("Overdue letters: %(count)s", count=late), url_for(f"{here}.index", status="overdue"))])

    register_provider(DashboardProvider(f"letters_{recipient}", TITLES[recipient], permission, panel,
                                        feature="letters"))


TITLES = {"mayor": _l("Letters to the mayor: new and overdue"),
          "chair": _l("Letters to the Sakrebulo chair: new and overdue")}

for _bp, _recipient, _permission in INBOXES:
    install(_bp, _recipient, _permission)
