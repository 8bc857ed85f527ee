"""Settings routes: edit the municipality's profile, with a live preview of name and colours.

The preview is a GET (it changes nothing): htmx asks for the ``preview`` fragment as the
colours change; without JavaScript the "Preview" button loads the whole page with it. Colours
reach the page through a generated stylesheet, never an inline style (CSP).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Response, current_app, request, url_for
from flask_babel import gettext as _

from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import profile_form_class, submitted_values
from portal.blueprints.admin.profile import GROUPS, ProfileInvalid, available_fields, current_values, update_profile
from portal.extensions import db
from portal.services import uploads
from portal.tenancy import current_tenant, get_directory
from portal.tenancy.registry import HEX_COLOUR, contrast_with_white
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import saved

LOGO_MAX_BYTES = 512 * 1024


def _grouped(form):
    groups: dict[str, list] = {}
    for f in available_fields():
        groups.setdefault(f.group, []).append(form[f.name])
    return [(GROUPS[g], fields) for g, fields in groups.items()]


def _page(form, status=200, preview=None):
    return render("admin/settings.html", block="settings_form", status=status, form=form,
                  groups=_grouped(form), preview=preview or _preview_values(form))


@bp.route("/settings", methods=["GET", "POST"])
@requires("settings.edit")
def settings():
    form_class = profile_form_class()
    if request.method == "GET":
        return _page(form_class(data=current_values(current_tenant)))
    form = form_class()
    if form.validate_on_submit():
        try:
            logo = _save_logo(form.logo.data)
            diff = update_profile(current_tenant, submitted_values(form), logo=logo)
        except ProfileInvalid as invalid:
            db.session.rollback()
            for name, messages in invalid.errors.items():
                target = form[name] if name in form else form.logo
                target.errors = list(target.errors) + messages
        else:
            db.session.commit()
            get_directory(current_app).invalidate()  # every page shows the new profile at once
            return saved(_("Settings saved.") if diff else _("Nothing changed."),
                         url_for("admin.settings"))
    return _page(form, status=422)


@bp.get("/settings/preview")
@requires("settings.edit")
def settings_preview():
    form = profile_form_class()(formdata=request.args, meta={"csrf": False})
    return render("admin/settings.html", block="preview", form=form, groups=_grouped(form),
                  preview=_preview_values(form))


@bp.get("/settings/preview.css")
@requires("settings.edit")
def settings_preview_css():
    theme = current_tenant.config.theme
    primary = _colour(request.args.get("primary"), theme.primary)
    accent = _colour(request.args.get("accent"), theme.accent)
    css = f".theme-preview{{--brand:{primary};--accent:{accent};}}\n"
    return Response(css, mimetype="text/css")


def _colour(value: str | None, fallback: str) -> str:
    import re

    return value if value and re.match(HEX_COLOUR, value) else fallback


def _preview_values(form) -> dict:
    cfg = current_tenant.config
    primary = _colour(form.primary.data, cfg.theme.primary)
    accent = _colour(form.accent.data, cfg.theme.accent)
    problems = []
    for label, colour in ((_("Main colour"), primary), (_("Accent colour"), accent)):
        ratio = contrast_with_white(colour)
        if ratio < 4.5:
            problems.append(_("%(label)s has contrast %(ratio).1f:1 with white; at least 4.5:1 is needed.",
                              label=label, ratio=ratio))
    return {
        "primary": primary, "accent": accent, "problems": problems,
        "name": (form.name_ka.data or cfg.name.ka)[:200],
        "tagline": (form.tagline_ka.data or cfg.tagline.ka)[:300],
    }


def _save_logo(upload) -> str | None:
    """Keep an uploaded PNG under the instance folder; return its configuration path."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:  # checked by content, its text chunks, EXIF and time dropped
        data = uploads.check(upload, allowed=frozenset({uploads.PNG}), limit=LOGO_MAX_BYTES, field="logo").data
    except uploads.UploadRefused:
        raise ProfileInvalid({"logo": [_("The logo must be a PNG file of at most 512 kB.")]}) from None
    name = f"logo-{hashlib.sha256(data).hexdigest()[:16]}.png"
    folder = uploads_folder(current_tenant.slug)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return f"uploads/{name}"


def uploads_folder(slug: str) -> Path:
    return Path(current_app.instance_path) / "tenant_uploads" / slug
