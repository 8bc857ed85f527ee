"""The moderators' view of a petition's bursts (``petitions/bursts.py``): many signatures from
one network address or e-mail domain within ten minutes, and invalidating one burst."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from portal.blueprints.petitions import bursts
from portal.blueprints.petitions.admin import bp
from portal.blueprints.petitions.admin.forms import BurstForm
from portal.blueprints.petitions.models import Petition
from portal.extensions import get_or_404
from portal.web.inputs import int_arg
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def _at_least() -> int:
    return int_arg("at", bursts.BURST_AT, minimum=2, maximum=10_000)


def _page(petition: Petition, *, form=None, status: int = 200):
    at_least = _at_least()
    return render("petitions/admin/bursts.html", status=status, petition=petition,
                  bursts=bursts.find(petition, at_least=at_least), at_least=at_least,
                  form=form or BurstForm(formdata=None))


@bp.get("/moderation/<int:petition_id>/bursts")
@requires("petitions.moderate")
def signature_bursts(petition_id: int):
    return _page(get_or_404(Petition, petition_id))


@bp.post("/moderation/<int:petition_id>/bursts")
@requires("petitions.moderate")
def invalidate_burst(petition_id: int):
    petition = get_or_404(Petition, petition_id)
    form = BurstForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            count = bursts.invalidate(petition, form.burst.data)
            return saved(_("%(count)s signatures invalidated; the public count no longer "
                           "includes them.", count=count),
                         url_for("petitions_admin.signature_bursts", petition_id=petition.id))
    return _page(petition, form=form, status=422)
