"""Staff of this municipality: invite by e-mail, change roles, deactivate.

Only people holding a role here are found; anyone else's id is a 404, like a foreign object.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts import notifications
from portal.blueprints.accounts import services as accounts
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.queries import staff_member_or_none, staff_of_current_tenant
from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import InviteForm, RolesForm
from portal.extensions import db
from portal.tenancy import current_tenant
from portal.web.forms import ConfirmForm
from portal.web.permissions import PERMISSIONS, ROLE_LABELS, ROLES, requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def _page(invite_form=None, status=200):
    return render("admin/staff.html", block="admin", status=status,
                  staff=staff_of_current_tenant(), form=invite_form or InviteForm(),
                  role_labels=ROLE_LABELS, roles=ROLES, permissions=PERMISSIONS)


@bp.get("/staff")
@requires("staff.manage")
def staff():
    return _page()


@bp.post("/staff/invite")
@requires("staff.manage")
def invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    user, token = accounts.invite_staff(form.email.data, form.name.data or "", form.roles.data,
                                        current_tenant.id, db.session.get(User, current_user.id))
    notifications.send_invitation(user.email, token, current_tenant._get_current_object())
    return saved(_("Invitation sent to %(email)s.", email=user.email), url_for("admin.staff"))


def _member_or_404(user_id: int):
    found = staff_member_or_none(user_id)
    if found is None:
        abort(404)
    return found


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
@requires("staff.manage")
def member(user_id: int):
    """One person's roles here (GET shows them, POST replaces them)."""
    user, roles = _member_or_404(user_id)
    form = RolesForm(data={"roles": roles})
    if form.validate_on_submit():
        with refusals_onto(form):
            accounts.set_roles(user, form.roles.data, db.session.get(User, current_user.id))
            return saved(_("Roles of %(email)s saved.", email=user.email),
                         url_for("admin.member", user_id=user.id))
    status = 422 if form.errors else 200
    return render("admin/member.html", block="roles_form", status=status, member=user, form=form,
                  deactivate=ConfirmForm(), role_labels=ROLE_LABELS, roles=ROLES, permissions=PERMISSIONS)


@bp.post("/staff/<int:user_id>/deactivate")
@requires("staff.manage")
def deactivate(user_id: int):
    user, _roles = _member_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.deactivate_here(user, db.session.get(User, current_user.id))
    except accounts.AccountError as error:
        db.session.rollback()
        return render("admin/member.html", block="admin", status=409, member=user,
                      form=RolesForm(data={"roles": _roles}), deactivate=form, error=str(error),
                      role_labels=ROLE_LABELS, roles=ROLES, permissions=PERMISSIONS)
    return saved(_("%(email)s no longer has a role here.", email=user.email), url_for("admin.staff"))
