"""The clerk's council: bodies (the Sakrebulo and its committees), members and their seats."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from portal.blueprints.sessions.admin import bp
from portal.blueprints.sessions.admin import council_queries as q
from portal.blueprints.sessions.admin.council_forms import (
    BODY_KIND_LABELS,
    BodyForm,
    EndMembershipForm,
    MemberForm,
    MembershipForm,
)
from portal.blueprints.sessions.council import composition
from portal.blueprints.sessions.models import Body
from portal.extensions import get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to


@bp.get("/bodies/")
@requires("sessions.edit")
def bodies():
    return render("sessions/admin/bodies.html", bodies=q.bodies(), counts=q.body_counts(),
                  body_kind_labels=BODY_KIND_LABELS)


def _save_body(body: Body | None, form: BodyForm):
    before = composition.body_values(body) if body else {}
    with refusals_onto(form):
        body = composition.save_body(body, slug=form.slug.data, name_ka=form.name_ka.data,
                                     name_en=form.name_en.data or "", kind=form.kind.data,
                                     position=form.position.data or 0)
        changed_before, changed_after = audit.changes(before, composition.body_values(body))
        audit.record("body.update" if before else "body.create", target=f"body:{body.id}",
                     before=changed_before or None, after=changed_after)
        return saved(_("Saved."), url_for("sessions_admin.bodies"))
    return None


@bp.route("/bodies/new", methods=["GET", "POST"])
@requires("sessions.edit")
def new_body():
    form = BodyForm(data={"kind": "committee", "position": 0})
    if form.validate_on_submit() and (done := _save_body(None, form)):
        return done
    return render("sessions/admin/body.html", status=422 if request.method == "POST" else 200,
                  form=form, body=None)


@bp.route("/bodies/<int:body_id>", methods=["GET", "POST"])
@requires("sessions.edit")
def edit_body(body_id: int):
    body = get_or_404(Body, body_id)
    form = BodyForm(obj=body)
    if form.validate_on_submit() and (done := _save_body(body, form)):
        return done
    return render("sessions/admin/body.html", status=422 if request.method == "POST" else 200,
                  form=form, body=body)


@bp.get("/members/")
@requires("sessions.edit")
def members():
    return render("sessions/admin/members.html", members=q.members())


def _save_member(member, form: MemberForm):
    """Apply the form (fields, then the photo); None with the errors on the form if refused."""
    before = composition.member_values(member) if member else {}
    with refusals_onto(form):
        member = composition.save_member(member, **form.values())
        upload = form.photo.data
        if upload is not None and getattr(upload, "filename", ""):
            composition.set_member_photo(member, upload.filename,
                                         upload.read(composition.PHOTO_MAX_BYTES + 1))
        elif form.remove_photo.data and member.photo_path:
            composition.set_member_photo(member, "", None)
        changed_before, changed_after = audit.changes(before, composition.member_values(member))
        audit.record("member.update" if before else "member.create", target=f"member:{member.id}",
                     before=changed_before or None, after=changed_after)
        return saved(_("Saved."), url_for("sessions_admin.edit_member", member_id=member.id))
    return None


@bp.route("/members/new", methods=["GET", "POST"])
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.new_member", limit=composition.PHOTO_MAX_BYTES)
def new_member():
    form = MemberForm()
    if form.validate_on_submit() and (done := _save_member(None, form)):
        return done
    return render("sessions/admin/member.html", status=422 if request.method == "POST" else 200,
                  form=form, member=None)


def _member_page(member_id: int, *, status: int = 200, end_seat: int | None = None, **forms):
    member = q.member_for_edit(member_id)
    bodies = q.bodies()
    forms.setdefault("form", MemberForm(obj=member))
    forms.setdefault("seat_form", MembershipForm(bodies=bodies, formdata=None))
    seats = sorted(member.memberships, key=lambda s: (s.ends_on is not None, s.starts_on))
    return render("sessions/admin/member.html", status=status, member=member, seats=seats,
                  end_seat=end_seat, **{"end_form": EndMembershipForm(formdata=None), **forms})


@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
@requires("sessions.edit")
@too_large_returns_to("sessions_admin.edit_member", limit=composition.PHOTO_MAX_BYTES)
def edit_member(member_id: int):
    member = q.member_for_edit(member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit() and (done := _save_member(member, form)):
        return done
    return _member_page(member_id, status=422 if request.method == "POST" else 200,
                        form=form)


@bp.post("/members/<int:member_id>/seats")
@requires("sessions.edit")
def add_membership(member_id: int):
    member = q.member_for_edit(member_id)
    form = MembershipForm(bodies=q.bodies())
    if form.validate_on_submit():
        body = get_or_404(Body, form.body_id.data)
        with refusals_onto(form):
            seat = composition.add_membership(member, body, starts_on=form.starts_on.data,
                                              ends_on=form.ends_on.data, role=form.role.data or "")
            audit.record("membership.add", target=f"membership:{seat.id}",
                         after=composition.membership_values(seat))
            return saved(_("Seat added."), url_for("sessions_admin.edit_member",
                                                    member_id=member_id, _anchor="seats"))
    return _member_page(member_id, status=422, seat_form=form)


@bp.post("/seats/<int:membership_id>/end")
@requires("sessions.edit")
def end_membership(membership_id: int):
    seat = q.membership(membership_id)
    member_id = seat.member_id
    form = EndMembershipForm()
    if form.validate_on_submit():
        before = composition.membership_values(seat)
        with refusals_onto(form):
            composition.end_membership(seat, form.ends_on.data)
            changed = audit.changes(before, composition.membership_values(seat))
            audit.record("membership.end", target=f"membership:{membership_id}",
                         before=changed[0], after=changed[1])
            return saved(_("Seat ended."), url_for("sessions_admin.edit_member",
                                                    member_id=member_id, _anchor="seats"))
    return _member_page(member_id, status=422, end_form=form, end_seat=membership_id)


@bp.post("/seats/<int:membership_id>/delete")
@requires("sessions.edit")
def delete_membership(membership_id: int):
    seat = q.membership(membership_id)
    member_id = seat.member_id
    if not ConfirmForm().validate_on_submit():
        return _member_page(member_id, status=422)
    before = composition.membership_values(seat)
    composition.delete_membership(seat)
    audit.record("membership.delete", target=f"membership:{membership_id}", before=before)
    return saved(_("Seat deleted."), url_for("sessions_admin.edit_member", member_id=member_id,
                                             _anchor="seats"))
