"""The author's list of their petitions and the petition form (new or editable)."""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.petitions import authoring, lifecycle
from portal.blueprints.petitions.author import bp
from portal.blueprints.petitions.models import FORMS, Petition
from portal.blueprints.petitions.timeline import timeline
from portal.extensions import get_or_404
from portal.tenancy import get_current_tenant
from portal.web.forms import BaseForm
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


class PetitionForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    form = SelectField(_l("Form of the petition"), validators=[InputRequired()],
                      default="request_to_discuss")
    text = TextAreaField(_l("Text"), validators=[Length(max=20_000)],
                         description=_l("What the problem is and why it matters."))
    requested_action = TextAreaField(_l("What the Sakrebulo is asked to do"),
                                     validators=[Length(max=5_000)])

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
        if request.form.get("action") == "submit":
            authoring.submit(petition, current_user)
            return saved(_("Your petition is sent for moderation; you will hear by e-mail."),
                         url_for("petitions_author.index"))
        return saved(_("Draft saved."), url_for("petitions_author.edit", petition_id=petition.id))
    return None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = PetitionForm()
    if form.validate_on_submit():
        answer = _save(form, None)
        if answer is not None:
            return answer
    return render("petitions/author/edit.html", block="content",
                  status=422 if request.method == "POST" else 200, form=form, petition=None,
                  status_labels=lifecycle.STATUS_LABELS)


@bp.route("/<int:petition_id>", methods=["GET", "POST"])
def edit(petition_id: int):
    # Looked up first, so another municipality's id is a 404 for everyone.
    petition = get_or_404(Petition, petition_id)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if petition.author_id != current_user.id:
        abort(404)
    editable = petition.status in authoring.EDITABLE
    form = PetitionForm(obj=petition)
    if editable and form.validate_on_submit():
        answer = _save(form, petition)
        if answer is not None:
            return answer
        petition = get_or_404(Petition, petition_id)
    asked = [e.note for e in timeline(petition) if e.kind == "changes_requested"]
    return render("petitions/author/edit.html", block="content",
                  status=422 if request.method == "POST" else 200, form=form, petition=petition,
                  editable=editable, note=asked[-1] if asked and editable else "",
                  status_labels=lifecycle.STATUS_LABELS)


def _my_petitions(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()  # none on the shared host's "My page"
    if tenant is None or not tenant.has_feature("petitions"):
        return []
    return [(p.title, url_for("petitions_author.edit", petition_id=p.id))
            for p in authoring.petitions_of(user)]


register_my_items(MyItemsProvider("petitions_authored", _l("Petitions I wrote"), _my_petitions))
