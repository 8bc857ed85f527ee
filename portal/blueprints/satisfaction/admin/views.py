"""The staff's dashboard of satisfaction and the comments to read.

Figures for a chosen year (or every year), by kind and department, per quarter with charts,
response rates and year against year; comments by moderation state, each approved for the
public summary or hidden with a POST form (audited, PRG without JavaScript).
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.satisfaction import services, stats
from portal.blueprints.satisfaction.admin import bp
from portal.blueprints.satisfaction.invitations import KINDS
from portal.blueprints.satisfaction.models import COMMENT_STATES, Invitation
from portal.blueprints.satisfaction.views import charts, quarter_label
from portal.extensions import db, get_or_404
from portal.services.errors import DomainError
from portal.web.inputs import int_arg
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import saved

PER_PAGE = 20
STATE_LABELS = {"new": _l("New"), "approved": _l("Published"), "hidden": _l("Hidden")}


@bp.get("/")
@requires("satisfaction.view")
def index():
    return _dashboard()


def _dashboard(*, status: int = 200, problem: str | None = None):
    summary_all = stats.summary()
    year = int_arg("year", None, minimum=2000, maximum=2100)
    if year not in summary_all.years:
        year = None
    summary = stats.summary(year) if year else summary_all
    state = request.values.get("comments", "new")
    if state not in COMMENT_STATES:
        state = "new"
    rows = paginate(stats.comments(state), page_arg(), PER_PAGE)
    return render("satisfaction/admin/index.html", block="results", status=status, problem=problem,
                  summary=summary,
                  years=summary_all.years, by_year=summary_all.by_year, year=year,
                  kind_years=summary_all.by_kind_year,
                  department_years=summary_all.by_department_year,
                  departments=summary_all.departments,
                  charts=charts(summary), quarter_label=quarter_label, kinds=KINDS, rows=rows,
                  state=state, states=COMMENT_STATES, state_labels=STATE_LABELS)


@requires("satisfaction.view")
def approve(invitation_id: int):
    return _moderate(invitation_id, "approve", _l("The comment is published."))


@requires("satisfaction.view")
def hide(invitation_id: int):
    return _moderate(invitation_id, "hide", _l("The comment is hidden."))


bp.add_url_rule("/comments/<int:invitation_id>/approve", "approve", approve, methods=["POST"])
bp.add_url_rule("/comments/<int:invitation_id>/hide", "hide", hide, methods=["POST"])


def _moderate(invitation_id: int, action: str, message) -> object:
    invitation = get_or_404(Invitation, invitation_id)
    state = request.form.get("comments", "new")
    back = url_for("satisfaction_admin.index", comments=state if state in COMMENT_STATES else "new")
    try:
        services.moderate(invitation, action)
    except DomainError as error:
        db.session.rollback()
        return _dashboard(status=409, problem=error.message)
    return saved(str(message), back)


def _panel(user) -> DashboardPanel:
    count = stats.new_comments()
    return DashboardPanel(count, [DashboardItem(
        _("New comments to read: %(count)s", count=count),
        url_for("satisfaction_admin.index", comments="new"))])


register_provider(DashboardProvider("satisfaction", _l("Citizen satisfaction: comments to read"),
                                    "satisfaction.view", _panel, feature="satisfaction"))
