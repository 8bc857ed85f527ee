"""The Sakrebulo clerk's petition pages: the list, the registered-voter count, and one
petition's tools (paper sheets, the verification sample, the Sakrebulo's steps, the export)."""

from __future__ import annotations

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.blueprints.petitions import exports, lifecycle, sakrebulo, signing, verification, voters
from portal.blueprints.petitions.admin import bp
from portal.blueprints.petitions.admin.forms import (
    AgendaForm,
    DecisionForm,
    MarkForm,
    PaperSheetForm,
    SampleForm,
    VoterCountForm,
    parse_sheet,
)
from portal.blueprints.petitions.models import Petition, Signature, VoterCount
from portal.blueprints.petitions.thresholds import shown_threshold
from portal.blueprints.petitions.timeline import timeline
from portal.blueprints.sessions import links
from portal.db import utcnow, writes_on_read
from portal.extensions import db, get_or_404
from portal.services import audit
from portal.services.errors import DomainError
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved

PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Statuses the clerk's list shows (moderation is the moderators').
CLERK_STATUSES = ("collecting", "submitted", "on_agenda", "decided", "closed_unsuccessful")
#: Statuses whose page offers the agenda's and the decision's forms.
DECIDABLE = ("submitted", "on_agenda")


@bp.get("/")
@requires("petitions.clerk")
def index():
    status = request.args.get("status", "")
    statuses = (status,) if status in CLERK_STATUSES else CLERK_STATUSES
    statement = (select(Petition).where(Petition.status.in_(statuses))
                 .order_by(Petition.updated_at.desc(), Petition.id.desc()))
    rows = paginate(statement, page_arg(), PER_PAGE)
    return render("petitions/admin/index.html", block="results", rows=rows, status=200,
                  current=status if status in CLERK_STATUSES else "",
                  statuses=CLERK_STATUSES, status_labels=lifecycle.STATUS_LABELS)


@bp.route("/voters", methods=["GET", "POST"])
@requires("petitions.clerk")
def voter_count():
    form = VoterCountForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            voters.set_voter_count(form.voters.data, form.counted_on.data)
            return saved(_("The voter count is recorded."), url_for("petitions_admin.voter_count"))
    history = db.session.scalars(select(VoterCount).order_by(VoterCount.counted_on.desc())).all()
    return render("petitions/admin/voters.html", block="content",
                  status=422 if request.method == "POST" else 200, form=form,
                  history=history, threshold=shown_threshold(), threshold_for=voters.threshold_for)


def _page(petition: Petition, *, status: int = 200, block: str = "content", **forms):
    forms.setdefault("paper_form", PaperSheetForm())
    forms.setdefault("sample_form", SampleForm())
    forms.setdefault("agenda_form", AgendaForm())
    forms.setdefault("decision_form", DecisionForm(session=petition.session_id))
    forms.setdefault("mark_form", MarkForm())
    _offer_sessions(petition, forms["agenda_form"], forms["decision_form"])
    sampled = db.session.scalars(
        select(Signature).where(Signature.petition_id == petition.id,
                                Signature.is_sampled.is_(True)).order_by(Signature.id)).all()
    confirmed = db.session.scalar(
        select(func.count(Signature.id)).where(Signature.petition_id == petition.id,
                                               Signature.confirmed_at.is_not(None),
                                               Signature.invalidated_at.is_(None)))
    paper = db.session.scalar(
        select(func.count(Signature.id)).where(Signature.petition_id == petition.id,
                                               Signature.is_paper.is_(True)))
    return render("petitions/admin/petition.html", block=block, status=status,
                  petition=petition, events=timeline(petition), sampled=sampled, confirmed=confirmed, paper=paper,
                  estimate=verification.result(petition),
                  status_labels=lifecycle.STATUS_LABELS, form_labels=lifecycle.FORM_LABELS,
                  at_sakrebulo=sakrebulo.at_sakrebulo(petition), **forms)


def _offer_sessions(petition: Petition, agenda_form: AgendaForm,
                    decision_form: DecisionForm) -> None:
    """Fill the archive's pickers: the municipality's sessions, and the transcript lines of
    the session the decision form has chosen (else the agenda's)."""
    if petition.status not in DECIDABLE:
        return
    chosen = decision_form.session.data
    if chosen is not None and links.session_summary(chosen) is None:
        chosen = petition.session_id  # not this municipality's: the agenda's lines
    sessions = links.session_choices(include=petition.session_id)
    lines = links.transcript_lines(chosen) if chosen is not None else []
    lengths = links.recording_lengths(chosen) if chosen is not None else {}
    agenda_form.offer(sessions)
    decision_form.offer(sessions, lines, next(iter(lengths.values()), None))


@bp.get("/<int:petition_id>")
@requires("petitions.clerk")
def petition(petition_id: int):
    """The petition's tools; ``?session=`` chooses the decision's session (htmx asks for the
    lines of the session chosen in the decision form this way)."""
    found = get_or_404(Petition, petition_id)
    if "session" not in request.args or found.status not in DECIDABLE:
        return _page(found)
    chosen = int_arg("session", clamp=False)
    return _page(found, block="decision_moment", decision_form=DecisionForm(session=chosen))


def _back(petition: Petition) -> str:
    return url_for("petitions_admin.petition", petition_id=petition.id)


@bp.post("/<int:petition_id>/paper")
@requires("petitions.clerk")
def paper(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = PaperSheetForm()
    if form.validate_on_submit():
        rows, problems = parse_sheet(form.rows.data)
        added = 0
        if not problems:
            for line, number, name in rows:
                try:
                    signing.add_paper_signature(petition, full_name=name, personal_number=number)
                    added += 1
                except DomainError as error:
                    problems.append((line, error.message))
        if not problems and added:
            audit.record("petitions.paper_signatures_added", target=f"petition:{petition.id}",
                         after={"signatures": added})
            return saved(_("Paper signatures added: %(count)d.", count=added), _back(petition))
        db.session.rollback()
        form.rows.errors = [_("Line %(line)d: %(problem)s", line=line, problem=problem)
                            if line else str(problem) for line, problem in problems] or [
            _("The sheet holds no signature.")]
        petition = get_or_404(Petition, petition_id)
    return _page(petition, status=422, paper_form=form)


@bp.post("/<int:petition_id>/sample")
@requires("petitions.clerk")
def sample(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = SampleForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            chosen = verification.draw_sample(petition, form.percent.data / 100, seed=form.seed.data)
            return saved(_("Signatures drawn for checking: %(count)d.", count=len(chosen)),
                         _back(petition))
        petition = get_or_404(Petition, petition_id)
    return _page(petition, status=422, sample_form=form)


@bp.post("/<int:petition_id>/sample/mark")
@requires("petitions.clerk")
def mark(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = MarkForm()
    if form.validate_on_submit():
        signature = get_or_404(Signature, form.signature_id.data)
        if signature.petition_id != petition.id:
            abort(404)
        with refusals_onto(form):
            verification.mark(signature, form.validity.data)
            return saved(_("Marked."), _back(petition) + "#sample")
        petition = get_or_404(Petition, petition_id)
    return _page(petition, status=422, mark_form=form)


@bp.post("/<int:petition_id>/agenda")
@requires("petitions.clerk")
def agenda(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = AgendaForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            sakrebulo.put_on_agenda(petition, form.session.data, actor=current_user)
            return saved(_("The petition is on the Sakrebulo's agenda."), _back(petition))
        petition = get_or_404(Petition, petition_id)
    return _page(petition, status=422, agenda_form=form)


@bp.post("/<int:petition_id>/decision")
@requires("petitions.clerk")
def decision(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = DecisionForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            sakrebulo.record_decision(petition, form.decision.data, session_id=form.session.data,
                                      segment_id=form.segment.data, seconds=form.time.data,
                                      actor=current_user)
            return saved(_("The Sakrebulo's decision is recorded."), _back(petition))
        petition = get_or_404(Petition, petition_id)
    return _page(petition, status=422, decision_form=form)


def _download(petition: Petition, kind: str):
    """The audit-logged rows (``exports.signature_rows``) written as ``kind``, committed first
    so the read is on record whatever happens to the download."""
    rows = exports.signature_rows(petition)
    db.session.commit()
    who, when = current_user.email, utcnow()
    name = f"petition-{petition.id}-signatures.{kind}"
    if kind == "xlsx":
        body, mimetype = exports.to_xlsx(rows, who, when, petition.title), XLSX
    else:
        body, mimetype = exports.to_csv(rows, who, when), "text/csv"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<int:petition_id>/signatures.csv")
@writes_on_read
@requires("petitions.clerk")
def export(petition_id: int):
    return _download(get_or_404(Petition, petition_id), "csv")


@bp.get("/<int:petition_id>/signatures.xlsx")
@writes_on_read
@requires("petitions.clerk")
def export_xlsx(petition_id: int):
    return _download(get_or_404(Petition, petition_id), "xlsx")
