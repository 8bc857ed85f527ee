"""Co-sponsors' pages: the author makes (or renews) the private link and removes people; a
signed-in citizen with the link reads the draft and joins with a POST. Rules in
``petitions/cosponsors.py``."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.blueprints.petitions import cosponsors
from portal.blueprints.petitions.author import bp
from portal.blueprints.petitions.author.views import mine_or_404
from portal.blueprints.petitions.models import Cosponsor, Petition
from portal.extensions import get_or_404
from portal.web.forms import BaseForm, ConfirmForm
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


class JoinForm(BaseForm):
    full_name = StringField(_l("Your first and last name"),
                            validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "name"},
                            description=_l("Shown among the co-sponsors on the petition's page."))


def _back(petition: Petition) -> str:
    return url_for("petitions_author.edit", petition_id=petition.id) + "#cosponsors"


def _refused(petition: Petition, error):
    """Back to the petition's page with the refusal on top (these forms are single buttons)."""
    flash(str(error), "error")
    return redirect(_back(petition), code=303)


def _authors_post(petition_id: int, cosponsor_id: int | None = None):
    """(petition, co-sponsor, None), or (.., .., the answer): things are looked up before the
    sign-in is asked for, so another municipality's ids are a 404 for everyone; a GET (a
    reload of the address) goes back to the petition's page."""
    petition = mine_or_404(petition_id)
    cosponsor = get_or_404(Cosponsor, cosponsor_id) if cosponsor_id is not None else None
    if not current_user.is_authenticated:
        return petition, cosponsor, current_app.login_manager.unauthorized()
    if request.method == "GET":
        return petition, cosponsor, redirect(_back(petition), code=303)
    return petition, cosponsor, None


@bp.route("/<int:petition_id>/cosponsors/link", methods=["GET", "POST"])
def cosponsor_link(petition_id: int):
    """Make the private link, or a new one: the earlier link stops working."""
    petition, _none, answer = _authors_post(petition_id)
    if answer is not None:
        return answer
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals_onto(form) as refusal:
        cosponsors.new_link(petition, current_user)
        return saved(_("The private link is ready; an earlier link no longer works."),
                     _back(petition))
    return _refused(petition, refusal.error)


@bp.route("/<int:petition_id>/cosponsors/<int:cosponsor_id>/remove", methods=["GET", "POST"])
def remove_cosponsor(petition_id: int, cosponsor_id: int):
    petition, cosponsor, answer = _authors_post(petition_id, cosponsor_id)
    if answer is not None:
        return answer
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals_onto(form) as refusal:
        cosponsors.remove(petition, current_user, cosponsor)
        return saved(_("The co-sponsor is removed."), _back(petition))
    return _refused(petition, refusal.error)


@bp.route("/<int:petition_id>/join/<cosponsor_token>", methods=["GET", "POST"])
def join(petition_id: int, cosponsor_token: str):
    """The draft as the link's holder sees it, and the button that makes them a co-sponsor."""
    petition = get_or_404(Petition, petition_id)
    if not cosponsors.token_matches(petition, cosponsor_token):
        abort(404)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    form = JoinForm(data={"full_name": current_user.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusals_onto(form):
            cosponsors.join(petition, current_user, full_name=form.full_name.data)
            return saved(_("You are now a co-sponsor of this petition."), request.path)
    return render("petitions/author/join.html", block="content",
                  status=422 if request.method == "POST" else 200, petition=petition, form=form,
                  joined=cosponsors.has_joined(petition, current_user),
                  is_author=petition.author_id == current_user.id,
                  open=petition.status in cosponsors.OPEN,
                  names=cosponsors.public_names(petition))
