"""The grants office and the committee: the calls, a new call, a call's applications (the
weighted ranking for the office), one application (read logged: it holds contacts) with the
member's scores or conflict of interest, the others' scores once the member's own are in, the
decision, announcing the results, and the results' export. Every change is audited by the
domain core."""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.grants import applications, calls, decisions, evaluation, files, queries, reports
from portal.blueprints.grants.admin import bp
from portal.blueprints.grants.forms import CompetitionForm, ConflictForm, DecisionForm
from portal.blueprints.grants.labels import KIND_LABELS, REPORT_LABELS, STATUS_LABELS
from portal.blueprints.grants.models import GrantApplication, GrantCompetition, GrantFile
from portal.blueprints.grants.money import parse_amount, plain
from portal.db import aware, writes_on_read
from portal.extensions import db, get_or_404
from portal.i18n import to_local
from portal.services import audit
from portal.services.errors import DomainError
from portal.web.forms import ConfirmForm
from portal.web.permissions import can, requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def _application(application_id: int) -> tuple[GrantApplication, GrantCompetition]:
    found = get_or_404(GrantApplication, application_id)
    if found.status == "draft":  # a draft is its author's only
        abort(404)
    return found, db.session.get(GrantCompetition, found.competition_id)


@bp.get("/")
@requires("grants.score")
def index():
    counts = dict(db.session.execute(
        select(GrantApplication.competition_id, func.count()).where(
            GrantApplication.status != "draft").group_by(GrantApplication.competition_id)).all())
    return render("grants/admin/index.html", competitions=queries.every(), counts=counts,
                  is_open=applications.is_open, manage=can("grants.manage"))


def _call_values(form: CompetitionForm) -> dict:
    """The form's call, checked: amounts in minor units and the criteria parsed."""
    amounts = {}
    for name in ("total_budget", "min_amount", "max_amount"):
        amounts[name] = parse_amount(getattr(form, name).data)
        if amounts[name] is None:
            raise DomainError(_l("Amounts are numbers such as 1500 or 1500.50."), field=name)
    return dict(title_ka=form.title_ka.data.strip(), title_en=(form.title_en.data or "").strip(),
                aims_ka=form.aims_ka.data.strip(), aims_en=(form.aims_en.data or "").strip(),
                allows_ngos=form.allows_ngos.data, allows_groups=form.allows_groups.data,
                currency=form.currency.data, call_opens_on=form.call_opens_on.data,
                deadline_local=form.deadline.data, evaluation_until=form.evaluation_until.data,
                results_on=form.results_on.data, criteria=calls.parse_criteria(form.criteria.data),
                **amounts)


@bp.route("/new", methods=["GET", "POST"])
@requires("grants.manage")
def new():
    form = CompetitionForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            values = _call_values(form)
            checked = files.check_all(request.files.getlist("documents"), field="documents")
            competition = calls.create(is_published=form.publish.data, **values)
            files.attach(checked, competition_id=competition.id)
            return saved(_("The call is published.") if competition.is_published
                         else _("The call is saved as a draft; only the grants office sees it."),
                         url_for("grants_admin.competition", competition_id=competition.id))
    return render("grants/admin/new.html", form=form,
                  status=422 if request.method == "POST" else 200)


def _edit_form(competition: GrantCompetition) -> CompetitionForm:
    """The form filled with the call as it is (amounts as typed, the deadline on the
    municipality's clock, a criterion a line)."""
    return CompetitionForm(
        formdata=None, title_ka=competition.title_ka, title_en=competition.title_en,
        aims_ka=competition.aims_ka, aims_en=competition.aims_en,
        allows_ngos=competition.allows_ngos, allows_groups=competition.allows_groups,
        currency=competition.currency, total_budget=plain(competition.total_budget),
        min_amount=plain(competition.min_amount), max_amount=plain(competition.max_amount),
        call_opens_on=competition.call_opens_on,
        deadline=to_local(aware(competition.deadline_at)).replace(tzinfo=None),
        evaluation_until=competition.evaluation_until, results_on=competition.results_on,
        criteria="\n".join(f"{c.weight} | {c.name_ka} | {c.name_en}"
                           for c in evaluation.competition_criteria(competition)))


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@requires("grants.manage")
def edit(competition_id: int):
    found = get_or_404(GrantCompetition, competition_id)
    form = CompetitionForm() if request.method == "POST" else _edit_form(found)
    del form.publish  # publishing has its own buttons on the call's page
    if form.validate_on_submit():
        with refusals_onto(form):
            values = _call_values(form)
            already = len(files.of(competition_id=found.id))
            checked = files.check_all(request.files.getlist("documents"), field="documents",
                                      already=already)
            calls.update(found, **values)
            files.attach(checked, competition_id=found.id)
            return saved(_("The call is saved."),
                         url_for("grants_admin.competition", competition_id=found.id))
    return render("grants/admin/new.html", form=form, competition=found,
                  status=422 if request.method == "POST" else 200)


@bp.post("/<int:competition_id>/publish")
@requires("grants.manage")
def publish(competition_id: int):
    found = get_or_404(GrantCompetition, competition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        calls.publish(found)
        return saved(_("The call is published."),
                     url_for("grants_admin.competition", competition_id=found.id))
    return _competition_page(found, form, status=422)


@bp.post("/<int:competition_id>/unpublish")
@requires("grants.manage")
def unpublish(competition_id: int):
    found = get_or_404(GrantCompetition, competition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            calls.unpublish(found)
            return saved(_("The call is taken off the public pages."),
                         url_for("grants_admin.competition", competition_id=found.id))
    return _competition_page(found, form, status=422)


def _competition_page(found: GrantCompetition, form: ConfirmForm, *, status: int = 200):
    ranked = evaluation.ranking(found)
    mine = {}
    if ranked:
        from portal.blueprints.grants.models import GrantReview

        mine = {r.application_id: r.kind for r in db.session.scalars(select(GrantReview).where(
            GrantReview.member_id == current_user.id,
            GrantReview.application_id.in_([r.application.id for r in ranked])))}
    return render("grants/admin/competition.html", status=status, competition=found,
                  ranked=ranked, mine=mine, manage=can("grants.manage"),
                  funded=decisions.funded_sum(found),
                  criteria=evaluation.competition_criteria(found), number=applications.number,
                  status_labels=STATUS_LABELS, kind_labels=KIND_LABELS, form=form)


@bp.get("/<int:competition_id>")
@requires("grants.score")
def competition(competition_id: int):
    return _competition_page(get_or_404(GrantCompetition, competition_id), ConfirmForm(formdata=None))


@bp.post("/<int:competition_id>/announce")
@requires("grants.manage")
def announce(competition_id: int):
    found = get_or_404(GrantCompetition, competition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            told = decisions.announce(found)
            return saved(_("The results are announced; %(count)s applicants are told.", count=told),
                         url_for("grants_admin.competition", competition_id=found.id))
    return _competition_page(found, form, status=422)


@bp.get("/<int:competition_id>/export.csv")
@writes_on_read
@requires("grants.manage")
def export(competition_id: int):
    found = get_or_404(GrantCompetition, competition_id)
    body = decisions.export_csv(found)
    db.session.commit()
    response = current_app.response_class("\ufeff" + body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="grants-{found.id}.csv"'
    return response


def _page(application: GrantApplication, competition: GrantCompetition, *, status: int = 200,
          **forms):
    member = current_user.id
    own = evaluation.review_of(application, member)
    visible = own is not None and own.kind == "scored"
    criteria = evaluation.competition_criteria(competition)
    forms.setdefault("score_form", ConfirmForm(formdata=None))
    forms.setdefault("conflict_form", ConflictForm(formdata=None))
    forms.setdefault("decision_form", DecisionForm(
        formdata=None, decision=application.status if application.status in decisions.DECISIONS else None,
        amount=plain(application.awarded_amount or application.requested_amount),
        note=application.decision_note))
    everyone = evaluation.reviews(application) if visible else []
    names = {}
    if everyone:
        from portal.blueprints.accounts.queries import staff_of_current_tenant

        names = {user.id: user.name or user.email for user, _roles in staff_of_current_tenant()}
    written = reports.of_application(application.id)
    return render("grants/admin/application.html", status=status, application=application,
                  competition=competition, own=own, visible=visible, criteria=criteria,
                  reviews=everyone, names=names, manage=can("grants.manage"),
                  points=evaluation.weighted(criteria, [s for r in everyone for s in r.scores])
                  if visible else None,
                  lines=applications.lines_of(application), number=applications.number(application),
                  attachments=files.of(application_id=application.id), typed=request.form,
                  reports=written, photos=files.of_many("report_id", [r.id for r in written]),
                  spent=reports.spent, status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
                  report_labels=REPORT_LABELS, **forms)


@bp.get("/applications/<int:application_id>")
@writes_on_read
@requires("grants.score")
def application(application_id: int):
    found, competition = _application(application_id)
    audit.record_read("grant_application", target=f"grant_application:{found.id}")
    db.session.commit()
    return _page(found, competition)


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
@writes_on_read
@requires("grants.score")
def attachment(application_id: int, attachment_id: int):
    found, _competition = _application(application_id)
    row = get_or_404(GrantFile, attachment_id)
    if row.application_id != found.id:
        abort(404)
    audit.record_read("grant_application_attachment",
                      target=f"grant_application:{found.id}/attachment:{row.id}")
    db.session.commit()
    return files.download(row)


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 4 else None


@bp.post("/applications/<int:application_id>/score")
@requires("grants.score")
def score(application_id: int):
    found, competition = _application(application_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            given = {c.id: (_int(request.form.get(f"score_{c.id}")),
                            (request.form.get(f"comment_{c.id}") or "")[:5000])
                     for c in evaluation.competition_criteria(competition)}
            evaluation.score(found, competition, current_user, scores=given)
            return saved(_("Your scores are saved."),
                         url_for("grants_admin.application", application_id=found.id))
    return _page(found, competition, status=422, score_form=form)


@bp.post("/applications/<int:application_id>/conflict")
@requires("grants.score")
def conflict(application_id: int):
    found, competition = _application(application_id)
    form = ConflictForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            evaluation.declare_conflict(found, competition, current_user, note=form.note.data or "")
            return saved(_("Your conflict of interest is recorded; you will not score this "
                           "application."), url_for("grants_admin.application", application_id=found.id))
    return _page(found, competition, status=422, conflict_form=form)


@bp.post("/applications/<int:application_id>/decision")
@requires("grants.manage")
def decision(application_id: int):
    found, competition = _application(application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            amount = parse_amount(form.amount.data) if form.amount.data else None
            if form.decision.data == "funded" and form.amount.data and amount is None:
                raise DomainError(_l("Amounts are numbers such as 1500 or 1500.50."), field="amount")
            decisions.decide(found, competition, decision=form.decision.data, amount=amount,
                             note=form.note.data or "")
            return saved(_("The decision is saved."),
                         url_for("grants_admin.competition", competition_id=competition.id))
    return _page(found, competition, status=422, decision_form=form)


def _panel(user) -> DashboardPanel:
    waiting = db.session.scalar(select(func.count()).select_from(GrantApplication).where(
        GrantApplication.status == "submitted")) or 0
    return DashboardPanel(waiting, [DashboardItem(
        _("Applications waiting for a decision: %(count)s", count=waiting),
        url_for("grants_admin.index"))])


register_provider(DashboardProvider("grants", _l("Small grants: applications"), "grants.score",
                                    _panel, feature="grants"))
