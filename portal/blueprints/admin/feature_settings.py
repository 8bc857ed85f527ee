"""Settings pages beside the municipality's profile: which sections are on, and one generic
form per feature that declares settings (``/<slug>/admin/settings/<feature_slug>``).

The admin navigation and these tabs come from the feature registry (``portal/blueprints``).
"""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _

from portal.blueprints import get_registry, switchable_features
from portal.blueprints.admin import bp
from portal.blueprints.admin.features import save_feature_settings, switch_features
from portal.blueprints.admin.forms import (
    FeatureSwitchForm,
    feature_settings_form_class,
    feature_settings_values,
)
from portal.extensions import db
from portal.tenancy import current_tenant, get_current_tenant, get_directory
from portal.web.permissions import refuse_unless_allowed, requires
from portal.web.rendering import render
from portal.web.staff_forms import saved


@bp.app_context_processor
def _admin_menus():
    tenant = get_current_tenant()
    if tenant is None:
        return {"admin_nav": list, "settings_tabs": list}
    registry = get_registry(current_app)
    return {"admin_nav": lambda: registry.admin_nav(tenant),
            "settings_tabs": lambda: [(e, s) for e, s in registry.settings_tabs(tenant) if s.fields]}


def _switch_form(formdata=None):
    features = [f for f in switchable_features() if f.endpoint in current_app.view_functions]
    on = [f.name for f in features if current_tenant.has_feature(f.name)]
    form = FeatureSwitchForm(formdata=formdata, data={"on": on})
    form.on.choices = [(f.name, str(f.label)) for f in features]
    return form, [f.name for f in features]


@bp.route("/settings/features", methods=["GET", "POST"])
@requires("settings.edit")
def feature_switches():
    if request.method == "GET":
        form, _names = _switch_form()
        return render("admin/feature_switches.html", block="switch_form", form=form)
    form, names = _switch_form(request.form)
    if form.validate_on_submit():
        before, after = switch_features(current_tenant, set(form.on.data or ()), names)
        db.session.commit()
        get_directory(current_app).invalidate()  # every page follows the switch at once
        return saved(_("Sections saved.") if before != after else _("Nothing changed."),
                     url_for("admin.feature_switches"))
    return render("admin/feature_switches.html", block="switch_form", status=422, form=form)


def _settings_of(feature_slug: str):
    tabs = get_registry(current_app).settings_tabs(current_tenant)
    found = next(((e, s) for e, s in tabs if e.name == feature_slug and s.fields), None)
    if found is None:
        abort(404)
    return found


@bp.route("/settings/<feature_slug>", methods=["GET", "POST"])
@requires("settings.edit")
def feature_settings(feature_slug: str):
    entry, settings = _settings_of(feature_slug)
    if settings.permission != "settings.edit":
        refused = refuse_unless_allowed(settings.permission)
        if refused is not None:
            return refused
    form_class = feature_settings_form_class(settings)
    title = settings.label or entry.label
    if request.method == "GET":
        form = form_class(data=settings.get_all())
        return render("admin/feature_settings.html", block="feature_form", form=form, entry=entry,
                      title=title)
    form = form_class()
    if form.validate_on_submit():
        diff = save_feature_settings(settings, feature_settings_values(form, settings))
        return saved(_("Settings saved.") if diff else _("Nothing changed."),
                     url_for("admin.feature_settings", feature_slug=entry.name))
    return render("admin/feature_settings.html", block="feature_form", status=422, form=form,
                  entry=entry, title=title)
