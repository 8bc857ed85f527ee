"""The editors' list of sights, writing one (with its photo), publishing, unpublishing and
deleting it; each action audit-logged before the one commit."""

from __future__ import annotations

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.tour import services
from portal.blueprints.tour.admin import bp
from portal.blueprints.tour.admin.forms import SightForm
from portal.blueprints.tour.labels import CATEGORY_LABELS
from portal.blueprints.tour.models import Sight
from portal.extensions import get_or_404
from portal.services import audit, storage
from portal.services.geometry import place
from portal.services.images import MAX_BYTES
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to

PER_PAGE = 25
STATE_LABELS = {"draft": _l("Draft"), "published": _l("Published")}


@bp.get("/")
@requires("tour.edit")
def index():
    wanted = request.args.get("state") if request.args.get("state") in STATE_LABELS else ""
    statement = select(Sight)
    if wanted:
        statement = statement.where(Sight.is_published.is_(wanted == "published"))
    rows = paginate(statement.order_by(Sight.updated_at.desc(), Sight.id.desc()), page_arg(), PER_PAGE)
    return render("tour/admin/index.html", block="results", rows=rows, wanted=wanted,
                  state_labels=STATE_LABELS, category_labels=CATEGORY_LABELS)


def _form(sight: Sight | None) -> SightForm:
    shape = place(sight.location) if sight is not None else None
    return SightForm(obj=sight, location_pair=shape.as_pairs() if shape else "")


def _photo_bytes(form: SightForm) -> bytes | None:
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_BYTES + 1)
    upload.close()
    return data


def _save(sight: Sight | None, form: SightForm):
    before = services.sight_values(sight) if sight else {}
    photo = _photo_bytes(form)
    with refusals_onto(form):
        sight = services.save_sight(sight, **form.values())
        if photo is not None:
            services.set_photo(sight, photo, alt=form.photo_alt.data or "", alt_en=form.photo_alt_en.data or "")
        elif sight.image_paths and form.photo_alt.data:
            sight.photo_alt, sight.photo_alt_en = form.photo_alt.data.strip(), (form.photo_alt_en.data or "").strip()
        changed_before, changed_after = audit.changes(before, services.sight_values(sight))
        audit.record("tour.sight_update" if before else "tour.sight_create", target=f"sight:{sight.id}",
                     before=changed_before or None, after=changed_after)
        if before and photo is not None:
            audit.record("tour.sight_photo", target=f"sight:{sight.id}", after={"photo": True})
        return saved(_("Saved."), url_for("tour_admin.edit", sight_id=sight.id))
    return None


@bp.route("/new", methods=["GET", "POST"])
@requires("tour.edit")
@too_large_returns_to("tour_admin.new", limit=MAX_BYTES)
def new():
    form = _form(None)
    if form.validate_on_submit() and (done := _save(None, form)):
        return done
    return render("tour/admin/new.html", status=422 if request.method == "POST" else 200, form=form)


@bp.route("/<int:sight_id>", methods=["GET", "POST"])
@requires("tour.edit")
@too_large_returns_to("tour_admin.edit", limit=MAX_BYTES)
def edit(sight_id: int):
    sight = get_or_404(Sight, sight_id)
    form = _form(sight)
    if form.validate_on_submit() and (done := _save(sight, form)):
        return done
    if request.method == "POST":
        sight = get_or_404(Sight, sight_id)  # a refusal rolled the session back
    return render("tour/admin/edit.html", status=422 if request.method == "POST" else 200, form=form,
                  sight=sight, state_labels=STATE_LABELS)


def _state(sight_id: int, published: bool):
    sight = get_or_404(Sight, sight_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        (services.publish if published else services.unpublish)(sight)
        audit.record("tour.sight_publish" if published else "tour.sight_unpublish", target=f"sight:{sight.id}",
                     after={"is_published": published})
        return saved(_("The sight is published.") if published else _("The sight is a draft again."),
                     url_for("tour_admin.edit", sight_id=sight.id))
    return render("tour/admin/edit.html", status=422, form=_form(sight), sight=sight, state_labels=STATE_LABELS)


@bp.post("/<int:sight_id>/publish")
@requires("tour.edit")
def publish(sight_id: int):
    return _state(sight_id, True)


@bp.post("/<int:sight_id>/unpublish")
@requires("tour.edit")
def unpublish(sight_id: int):
    return _state(sight_id, False)


@bp.post("/<int:sight_id>/delete")
@requires("tour.edit")
def delete(sight_id: int):
    sight = get_or_404(Sight, sight_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("tour.sight_delete", target=f"sight:{sight.id}", before=services.sight_values(sight))
        services.delete_sight(sight)
        return saved(_("The sight is deleted."), url_for("tour_admin.index"))
    return render("tour/admin/edit.html", status=422, form=_form(sight), sight=sight, state_labels=STATE_LABELS)


@bp.get("/<int:sight_id>/photo")
@requires("tour.edit")
def photo(sight_id: int):
    """The sight's smallest photo, published or not (the edit page's thumbnail)."""
    sight = get_or_404(Sight, sight_id)
    if not sight.image_paths:
        abort(404)
    try:
        data = storage.read(sight.image_paths[min(sight.image_paths, key=int)])
    except FileNotFoundError:
        abort(404)
    return Response(data, mimetype="image/webp")
