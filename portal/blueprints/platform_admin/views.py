"""Platform admin routes (shared host only; every route declares ``platform.manage``)."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts import notifications
from portal.blueprints.accounts.models import User
from portal.blueprints.platform_admin import bp
from portal.blueprints.platform_admin import services as platform
from portal.blueprints.platform_admin.forms import AppointForm, NewTenantForm
from portal.extensions import db
from portal.tenancy import get_directory
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def _page(form=None, appoint=None, status=200):
    tenants = sorted(get_directory(current_app).active(), key=lambda t: t.slug)
    return render("platform_admin/index.html", block="content", status=status, tenants=tenants,
                  form=form or NewTenantForm(), appoint=appoint or AppointForm())


@bp.get("/")
@requires("platform.manage")
def index():
    return _page()


@bp.post("/tenants")
@requires("platform.manage")
def add_tenant():
    form = NewTenantForm()
    if form.validate_on_submit():
        with refusals_onto(form):
            platform.add_tenant(form.slug.data, form.name_ka.data.strip(), (form.name_en.data or "").strip())
            db.session.commit()
            get_directory(current_app).invalidate()  # the new municipality answers at once
            return saved(_("Municipality added. Now appoint its admin."), url_for("platform_admin.index"))
    return _page(form=form, status=422)


@bp.post("/tenants/<tenant_slug>/admins")
@requires("platform.manage")
def appoint(tenant_slug: str):
    tenant = get_directory(current_app).by_slug(tenant_slug)
    if tenant is None:
        abort(404)
    form = AppointForm()
    if form.validate_on_submit():
        user, token = platform.appoint_admin(tenant, form.email.data, form.name.data or "",
                                             db.session.get(User, current_user.id))
        notifications.send_invitation(user.email, token, tenant)
        return saved(_("%(email)s is invited as admin.", email=user.email), url_for("platform_admin.index"))
    return _page(appoint=form, status=422)
