"""The author's list of their petitions, the petition form (new or editable, with an optional
attachment) and the attachment's download for the author."""

from __future__ import annotations

import time

from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.petitions import (
    authoring,
    cosponsors,
    guard,
    identity,
    lifecycle,
    queries,
)
from portal.blueprints.petitions.author import bp
from portal.blueprints.petitions.models import FORMS, Petition
from portal.blueprints.petitions.timeline import timeline
from portal.extensions import get_or_404, limiter
from portal.services import uploads
from portal.tenancy import get_current_tenant
from portal.tenancy.links import message_url
from portal.web.forms import BaseForm, ConfirmForm
from portal.web.htmx import is_fragment_request
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to


class PetitionForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    form = SelectField(_l("Form of the petition"), validators=[InputRequired()],
                      default="request_to_discuss")
    text = TextAreaField(_l("Text"), validators=[Length(max=20_000)],
                         description=_l("What the problem is and why it matters."))
    requested_action = TextAreaField(_l("What the Sakrebulo is asked to do"),
                                     validators=[Length(max=5_000)])
    attachment = FileField(_l("Attachment (optional)"),
                           description=_l("A PDF, a picture (PNG or JPEG) or a text document "
                                          "(ODT or DOCX), up to 10 MB."))
    remove_attachment = BooleanField(_l("Remove the attachment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.choices = [SelectChoice(f, str(lifecycle.FORM_LABELS[f])) for f in FORMS]


@bp.get("/")
@login_required
def index():
    return render("petitions/author/mine.html", block="content",
                  petitions=authoring.petitions_of(current_user),
                  status_labels=lifecycle.STATUS_LABELS)


def _save(form: PetitionForm, petition: Petition | None):
    """Save the draft, and send it for moderation when that button was pressed."""
    with refusals_onto(form):
        petition = authoring.save_draft(
            current_user, title=form.title.data, text=form.text.data,
            requested_action=form.requested_action.data, form=form.form.data, petition=petition)
        upload = form.attachment.data
        if upload and upload.filename:
            authoring.attach(petition, uploads.check(upload))
        elif form.remove_attachment.data and petition.attachment_path:
            authoring.detach(petition)
        if request.form.get("action") == "submit":
            authoring.submit(petition, current_user)
            return saved(_("Your petition is sent for moderation; you will hear by e-mail."),
                         url_for("petitions_author.index"))
        return saved(_("Draft saved."), url_for("petitions_author.edit", petition_id=petition.id))
    return None


def _page(form: PetitionForm, petition: Petition | None, **context):
    """The petition form's page; with the author's readiness and, for a saved petition, its
    co-sponsors and private link."""
    if petition is not None:
        link = cosponsors.token(petition)
        context.update(
            cosponsors=cosponsors.cosponsors_of(petition), action_form=ConfirmForm(),
            takes_cosponsors=petition.status in cosponsors.OPEN,
            join_url=message_url("petitions_author.join", petition_id=petition.id,
                                 cosponsor_token=link) if link else None)
    return render("petitions/author/edit.html", block="content",
                  status=422 if request.method == "POST" else 200, form=form, petition=petition,
                  ready=identity.is_complete(identity.profile_of(current_user)),
                  status_labels=lifecycle.STATUS_LABELS, **context)


#: New petitions per network address; ``PORTAL_PETITION_CREATE_LIMIT`` overrides it.
CREATE_LIMIT = "1 per 60 seconds;5 per 3600 seconds"
#: New petitions per e-mail domain of the authors' accounts (big webmail providers left out);
#: ``PORTAL_PETITION_CREATE_DOMAIN_LIMIT`` overrides it.
CREATE_DOMAIN_LIMIT = "20 per 3600 seconds"


create_limit = configured_limit("PORTAL_PETITION_CREATE_LIMIT", CREATE_LIMIT)


create_domain_limit = configured_limit("PORTAL_PETITION_CREATE_DOMAIN_LIMIT", CREATE_DOMAIN_LIMIT)


def create_key() -> str:
    return f"petitions.create:{request.remote_addr or 'unknown'}"


def _account_email() -> str:
    return getattr(current_user, "email", "") or ""


def create_domain_key() -> str:
    return f"petitions.create.domain:{guard.email_domain(_account_email())[:255]}"


def _created(response) -> bool:
    """Only a petition actually saved counts (a form sent back with its errors does not)."""
    return bool(g.get("petition_created"))


def _too_many(limit):
    """A breached limit answered on the form, in the author's language (429; 422 under htmx)."""
    form = PetitionForm()
    form.form_errors = [_("Several petitions came from your address or e-mail provider in a "
                          "short time. Please wait a while and try again.")]
    response = _page(form, None)
    response.status_code = 422 if is_fragment_request() else 429
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(create_limit, key_func=create_key, methods=["POST"], deduct_when=_created,
               on_breach=_too_many)
@limiter.limit(create_domain_limit, key_func=create_domain_key, methods=["POST"],
               deduct_when=_created, on_breach=_too_many,
               exempt_when=lambda: guard.shared_provider(_account_email()))
@too_large_returns_to("petitions_author.new", limit=uploads.LIMIT)
def new():
    form = PetitionForm()
    if form.validate_on_submit():
        answer = _save(form, None)
        if answer is not None:
            g.petition_created = True
            return answer
    return _page(form, None)


def mine_or_404(petition_id: int) -> Petition:
    """The signed-in author's petition; another's, or another municipality's, is a 404.
    (The caller asks for sign-in after this, so a foreign id is a 404 for everyone.)"""
    petition = get_or_404(Petition, petition_id)
    if current_user.is_authenticated and petition.author_id != current_user.id:
        abort(404)
    return petition


@bp.route("/<int:petition_id>", methods=["GET", "POST"])
@too_large_returns_to("petitions_author.edit", limit=uploads.LIMIT)
def edit(petition_id: int):
    # Looked up first, so another municipality's id is a 404 for everyone.
    petition = mine_or_404(petition_id)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    editable = petition.status in authoring.EDITABLE
    form = PetitionForm(obj=petition)
    if editable and form.validate_on_submit():
        answer = _save(form, petition)
        if answer is not None:
            return answer
        petition = get_or_404(Petition, petition_id)
    asked = [e.note for e in timeline(petition) if e.kind == "changes_requested"]
    return _page(form, petition, editable=editable, note=asked[-1] if asked and editable else "")


@bp.get("/<int:petition_id>/attachment")
def attachment(petition_id: int):
    """The attachment, for its author at any stage (the public gets it once published)."""
    petition = mine_or_404(petition_id)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not petition.attachment_path:
        abort(404)
    return uploads.download(petition.attachment_path, mimetype=petition.attachment_type,
                            name=petition.attachment_name)


def _my_petitions(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()  # none on the shared host's "My page"
    if tenant is None or not tenant.has_feature("petitions"):
        return []
    return [(p.title, url_for("petitions_author.edit", petition_id=p.id))
            for p in authoring.petitions_of(user)]


def _cosponsored(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()
    if tenant is None or not tenant.has_feature("petitions"):
        return []
    return [(p.title, url_for("petitions_author.join", petition_id=p.id,
                              cosponsor_token=cosponsors.token(p))
             if p.status in cosponsors.OPEN and p.cosponsor_key
             else url_for("petitions.show", petition_id=p.id))
            for p in cosponsors.cosponsored_by(user)]


def _signed(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()
    if tenant is None or not tenant.has_feature("petitions"):
        return []
    return [(p.title, url_for("petitions.show", petition_id=p.id))
            for p in queries.signed_by(getattr(user, "email", ""))]


register_my_items(MyItemsProvider("petitions_authored", _l("Petitions I wrote"), _my_petitions))
register_my_items(MyItemsProvider("petitions_cosponsored", _l("Petitions I co-sponsor"),
                                  _cosponsored))
register_my_items(MyItemsProvider("petitions_signed", _l("Petitions I signed"), _signed))
